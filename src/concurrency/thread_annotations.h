#pragma once

// Clang's thread-safety analysis (-Wthread-safety) checks at compile time that data marked
// GUARDED_BY(m) is touched only while `m` is held, and that functions marked REQUIRES(m) are called
// with it held. The macros expand to nothing on other compilers, so gcc builds are unchanged.
// https://clang.llvm.org/docs/ThreadSafetyAnalysis.html

#if defined(__clang__)
#define DEPOT_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define DEPOT_THREAD_ANNOTATION(x)
#endif

// On a class: its objects are capabilities (mutexes) that can be held.
#define CAPABILITY(name) DEPOT_THREAD_ANNOTATION(capability(name))
// On an RAII class: its constructor acquires and its destructor releases a capability.
#define SCOPED_CAPABILITY DEPOT_THREAD_ANNOTATION(scoped_lockable)
// On a data member: read or written only with the capability held.
#define GUARDED_BY(x) DEPOT_THREAD_ANNOTATION(guarded_by(x))
// On a pointer member: the data it points to is read or written only with the capability held.
#define PT_GUARDED_BY(x) DEPOT_THREAD_ANNOTATION(pt_guarded_by(x))
// On a function: the caller holds these capabilities, and still holds them on return.
#define REQUIRES(...) DEPOT_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
// On a function: it acquires (or releases) the capability and returns holding it (or not).
#define ACQUIRE(...) DEPOT_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) DEPOT_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
// On a function: it acquires the capability only when it returns `x`.
#define TRY_ACQUIRE(...) DEPOT_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
// On a function: the caller must NOT hold these capabilities (the function takes them itself).
#define EXCLUDES(...) DEPOT_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// On a function: it checks at run time that the capability is held; the analysis then assumes so.
#define ASSERT_CAPABILITY(x) DEPOT_THREAD_ANNOTATION(assert_capability(x))
// On a function returning a capability by reference: the returned object is that capability.
#define RETURN_CAPABILITY(x) DEPOT_THREAD_ANNOTATION(lock_returned(x))
// Turns the analysis off for one function: only for the lock wrappers themselves.
#define NO_THREAD_SAFETY_ANALYSIS DEPOT_THREAD_ANNOTATION(no_thread_safety_analysis)
