// Whether the window is phone-sized (the shell's breakpoint, 767 px), following resizes and turns.
import { onScopeDispose, ref, type Ref } from "vue";

export function useNarrow(): Ref<boolean> {
  const query = window.matchMedia("(max-width: 767px)");
  const narrow = ref(query.matches);
  const follow = () => (narrow.value = query.matches);
  query.addEventListener("change", follow);
  onScopeDispose(() => query.removeEventListener("change", follow));
  return narrow;
}
