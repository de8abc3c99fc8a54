// default_template(): depot's own wording for every event, in zh-CN and en.
//
// Optional parts sit in sections ({{#eta}}…{{/eta}}) so a message without an ETA or a link still
// reads well. An optional line starts inside its section with its own line break
// ("…{{#eta}}\n预计送达：{{eta}}{{/eta}}"): kainjow drops or keeps the line break after a
// standalone section tag depending on whether the section rendered, so tags never stand alone.

#include <algorithm>
#include <array>

#include "app/templates.h"

namespace depot {

namespace {

struct Wording {
  std::string_view title;  // push title and email subject
  std::string_view text;   // SMS, WeChat and the push body: one short paragraph
  std::string_view email;  // the email's own paragraphs; customers' get a greeting and a close
};

struct EventWording {
  EventType type;
  bool to_customer;  // else to the merchant's staff (alerts and back-office events)
  Wording zh;
  Wording en;
};

constexpr std::array kWordings = {
    EventWording{
        EventType::order_created,
        true,
        {"订单{{order_no}}已提交",
         "您的订单{{order_no}}已提交，金额{{total}}。{{#balance_due}}付款后我们将尽快为您发货。{{/"
         "balance_due}}{{^balance_due}}我们将尽快为您安排发货。{{/balance_due}}",
         "感谢您的购买！您的订单{{order_no}}已提交。\n\n商品：{{items}}\n订单金额：{{total}}{{#"
         "address}}\n收货地址：{{address}}{{/"
         "address}}\n\n{{#balance_due}}付款后我们将尽快为您发货。{{/"
         "balance_due}}{{^balance_due}}我们将尽快为您安排发货，发货后会再通知您。{{/balance_due}}"},
        {"Order {{order_no}} received",
         "Thank you! Your order {{order_no}} ({{total}}) has been placed. {{#balance_due}}We will "
         "ship it as soon as it is paid.{{/balance_due}}{{^balance_due}}We will ship it "
         "soon.{{/balance_due}}",
         "Thank you for your order {{order_no}}.\n\nItems: {{items}}\nOrder total: "
         "{{total}}{{#address}}\nShipping address: {{address}}{{/address}}\n\n{{#balance_due}}We "
         "will ship it as soon as it is paid.{{/balance_due}}{{^balance_due}}We will ship it soon "
         "and let you know when it is on its way.{{/balance_due}}"}},
    EventWording{
        EventType::order_paid,
        true,
        {"订单{{order_no}}付款成功",
         "您的订单{{order_no}}已收到付款{{payment_amount}}。{{#balance_due}}还需支付{{balance_due}}"
         "，付清后我们将尽快发货。{{/balance_due}}{{^balance_due}}我们将尽快为您发货。{{/"
         "balance_due}}",
         "我们已收到您为订单{{order_no}}支付的{{payment_amount}}{{#payment_method}}（{{payment_"
         "method}}）{{/"
         "payment_method}}。\n\n商品：{{items}}\n订单金额：{{total}}{{#balance_due}}\n待付"
         "金额：{{balance_due}}{{/balance_due}}\n\n{{#balance_due}}付清后我们将尽快为您发货。{{/"
         "balance_due}}{{^balance_due}}我们将尽快为您安排发货，发货后会再通知您。{{/balance_due}}"},
        {"Payment received for order {{order_no}}",
         "We received your payment of {{payment_amount}} for order {{order_no}}. "
         "{{#balance_due}}{{balance_due}} is still due; we will ship once it is "
         "paid.{{/balance_due}}{{^balance_due}}We will ship your order soon.{{/balance_due}}",
         "We received your payment of {{payment_amount}}{{#payment_method}} "
         "({{payment_method}}){{/payment_method}} for order {{order_no}}.\n\nItems: "
         "{{items}}\nOrder total: {{total}}{{#balance_due}}\nStill due: "
         "{{balance_due}}{{/balance_due}}\n\n{{#balance_due}}We will ship your order once it is "
         "paid in full.{{/balance_due}}{{^balance_due}}We will ship your order soon and let you "
         "know when it is on its way.{{/balance_due}}"}},
    EventWording{
        EventType::order_edited,
        true,
        {"订单{{order_no}}信息已更新",
         "您的订单{{order_no}}{{#changed}}的{{changed}}{{/changed}}已更新。如非您本人要求，请及时联"
         "系客服。",
         "您的订单{{order_no}}{{#changed}}的{{changed}}{{/changed}}已更新，当前信息如下：\n\n商品："
         "{{items}}\n订单金额：{{total}}{{#address}}\n收货地址：{{address}}{{/"
         "address}}\n\n如非您本人"
         "要求，请及时联系客服。"},
        {"Order {{order_no}} updated",
         "Your order {{order_no}} has been updated{{#changed}} ({{changed}}){{/changed}}. If you "
         "did not ask for this, please contact customer service.",
         "Your order {{order_no}} has been updated{{#changed}} ({{changed}}){{/changed}}. Here "
         "are its details now:\n\nItems: {{items}}\nOrder total: {{total}}{{#address}}\nShipping "
         "address: {{address}}{{/address}}\n\nIf you did not ask for this change, please contact "
         "customer service."}},
    EventWording{
        EventType::order_status_changed,
        true,
        {"订单{{order_no}}状态更新", "您的订单{{order_no}}状态已更新为：{{order_status}}。",
         "您的订单{{order_no}}状态已更新：{{#previous_status}}{{previous_status}} → {{/"
         "previous_status}}{{order_status}}。\n\n商品：{{items}}\n订单金额：{{total}}{{#tracking_"
         "link}}\n\n查询订单：{{tracking_link}}{{/tracking_link}}"},
        {"Order {{order_no}}: {{order_status}}", "Your order {{order_no}} is now {{order_status}}.",
         "The status of your order {{order_no}} has changed{{#previous_status}} from "
         "{{previous_status}}{{/previous_status}} to {{order_status}}.\n\nItems: {{items}}\nOrder "
         "total: {{total}}{{#tracking_link}}\n\nFollow your order: {{tracking_link}}{{/tracking_"
         "link}}"}},
    EventWording{
        EventType::order_cancelled,
        true,
        {"订单{{order_no}}已取消",
         "您的订单{{order_no}}已取消{{#reason}}（原因：{{reason}}）{{/reason}}。{{#refund_amount}}"
         "{{refund_amount}}将按原支付方式退回，请注意查收。{{/refund_amount}}如有疑问请联系客服。",
         "您的订单{{order_no}}已取消{{#reason}}，原因：{{reason}}{{/"
         "reason}}。\n\n商品：{{items}}\n订"
         "单金额：{{total}}{{#refund_amount}}\n退款金额：{{refund_amount}}（将按原支付方式退回）{{/"
         "refund_amount}}\n\n如有疑问，请联系客服。"},
        {"Order {{order_no}} cancelled",
         "Your order {{order_no}} has been cancelled{{#reason}} ({{reason}}){{/reason}}. "
         "{{#refund_amount}}{{refund_amount}} will be refunded to your original payment method. "
         "{{/refund_amount}}Questions? Please contact customer service.",
         "Your order {{order_no}} has been cancelled{{#reason}}. Reason: "
         "{{reason}}{{/reason}}.\n\nItems: {{items}}\nOrder total: "
         "{{total}}{{#refund_amount}}\nRefund: {{refund_amount}}, to your original payment "
         "method{{/refund_amount}}\n\nIf you have any questions, please contact customer "
         "service."}},
    EventWording{
        EventType::order_held,
        true,
        {"订单{{order_no}}暂缓发货",
         "您的订单{{order_no}}暂缓发货{{#hold_reason}}：{{hold_reason}}{{/hold_reason}}。我们正在处"
         "理，如需核对信息，客服会与您联系。",
         "您的订单{{order_no}}暂时无法发货{{#hold_reason}}，原因：{{hold_reason}}{{/hold_reason}}。"
         "\n\n商品：{{items}}{{#address}}\n收货地址：{{address}}{{/"
         "address}}\n\n我们正在尽快处理，必要"
         "时客服会与您联系核对信息。如发现收货地址或电话有误，也可直接联系客服更正。"},
        {"Order {{order_no}} is on hold",
         "Your order {{order_no}} is on hold{{#hold_reason}}: {{hold_reason}}{{/hold_reason}}. We "
         "are looking into it and will contact you if we need to check anything.",
         "We have put your order {{order_no}} on hold before shipping{{#hold_reason}}: "
         "{{hold_reason}}{{/hold_reason}}.\n\nItems: {{items}}{{#address}}\nShipping address: "
         "{{address}}{{/address}}\n\nWe are looking into it and will contact you if we need to "
         "check anything. If you see a mistake in your address or phone number, please contact "
         "customer service to correct it."}},
    EventWording{
        EventType::order_released,
        true,
        {"订单{{order_no}}恢复发货", "您的订单{{order_no}}已核对完毕，我们将尽快为您发货。",
         "您的订单{{order_no}}已核对完毕，恢复正常发货。\n\n商品：{{items}}{{#address}}\n收货地址："
         "{{address}}{{/address}}\n\n发货后我们会再通知您。"},
        {"Order {{order_no}} is back on track",
         "Your order {{order_no}} has been checked and will ship soon.",
         "Your order {{order_no}} has been checked and is on its way to shipping again.\n\nItems: "
         "{{items}}{{#address}}\nShipping address: {{address}}{{/address}}\n\nWe will let you "
         "know as soon as it ships."}},
    EventWording{
        EventType::shipment_created,
        true,
        {"您的订单{{order_no}}已发货",
         "您的订单{{order_no}}已发货，{{carrier_name}}运单号{{tracking_no}}{{#eta}}，预计{{eta}}"
         "送达"
         "{{/eta}}。{{#tracking_link}}查询物流：{{tracking_link}}{{/tracking_link}}",
         "您的订单{{order_no}}已发货。\n\n快递公司：{{carrier_name}}\n运单号：{{tracking_no}}{{#"
         "eta}}"
         "\n预计送达：{{eta}}{{/eta}}{{#parcel_items}}\n本次发出：{{parcel_items}}{{/"
         "parcel_items}}{{#"
         "address}}\n收货地址：{{address}}{{/"
         "address}}{{#tracking_link}}\n\n查询物流：{{tracking_link}}"
         "{{/tracking_link}}\n\n收到包裹后请及时查验，如有问题请联系客服。"},
        {"Your order {{order_no}} has shipped",
         "Your order {{order_no}} has shipped with {{carrier_name}}, tracking number "
         "{{tracking_no}}{{#eta}}, expected {{eta}}{{/eta}}.{{#tracking_link}} Track it: "
         "{{tracking_link}}{{/tracking_link}}",
         "Good news: your order {{order_no}} is on its way.\n\nCarrier: {{carrier_name}}\nTracking "
         "number: {{tracking_no}}{{#eta}}\nExpected delivery: {{eta}}{{/eta}}{{#parcel_items}}\nIn "
         "this parcel: {{parcel_items}}{{/parcel_items}}{{#address}}\nShipping to: "
         "{{address}}{{/address}}{{#tracking_link}}\n\nTrack your parcel: "
         "{{tracking_link}}{{/tracking_link}}\n\nPlease check the parcel when it arrives and "
         "contact customer service if anything is wrong."}},
    EventWording{
        EventType::shipment_due_soon,
        false,
        {"订单{{order_no}}即将超时发货",
         "订单{{order_no}}{{#due_at}}需在{{due_at}}前发货{{/"
         "due_at}}{{^due_at}}即将超过承诺发货时间{{/"
         "due_at}}，请尽快处理。",
         "订单{{order_no}}即将超过承诺发货时间{{#due_at}}（{{due_at}}）{{/"
         "due_at}}，请尽快安排发货。\n"
         "\n客户：{{customer_name}}\n商品：{{items}}{{#address}}\n收货地址：{{address}}{{/"
         "address}}"},
        {"Order {{order_no}} is due to ship soon",
         "Order {{order_no}} {{#due_at}}must ship by {{due_at}}{{/due_at}}{{^due_at}}is close to "
         "its promised ship time{{/due_at}}. Please ship it soon.",
         "Order {{order_no}} is close to its promised ship time{{#due_at}} "
         "({{due_at}}){{/due_at}}. Please ship it soon.\n\nCustomer: {{customer_name}}\nItems: "
         "{{items}}{{#address}}\nShipping address: {{address}}{{/address}}"}},
    EventWording{
        EventType::shipment_overdue,
        false,
        {"订单{{order_no}}发货已超时",
         "订单{{order_no}}已超过承诺发货时间{{#due_at}}（{{due_at}}）{{/"
         "due_at}}仍未发货，请立即处理"
         "。",
         "订单{{order_no}}已超过承诺发货时间{{#due_at}}（{{due_at}}）{{/"
         "due_at}}，仍未发货。请立即安"
         "排发货，必要时联系客户说明情况。\n\n客户：{{customer_name}}\n商品：{{items}}{{#address}}"
         "\n收"
         "货地址：{{address}}{{/address}}"},
        {"Order {{order_no}} is overdue",
         "Order {{order_no}} has not shipped by its promised time{{#due_at}} "
         "({{due_at}}){{/due_at}}. Please ship it now.",
         "Order {{order_no}} has not shipped by its promised time{{#due_at}} "
         "({{due_at}}){{/due_at}}. Please ship it now and, if needed, let the customer "
         "know.\n\nCustomer: {{customer_name}}\nItems: {{items}}{{#address}}\nShipping address: "
         "{{address}}{{/address}}"}},
    EventWording{
        EventType::shipment_escalated,
        false,
        {"【升级】订单{{order_no}}严重超时未发货",
         "【升级】订单{{order_no}}超过承诺发货时间{{#due_at}}（{{due_at}}）{{/"
         "due_at}}已久，仍未发货"
         "，请负责人立即跟进。",
         "订单{{order_no}}超过承诺发货时间{{#due_at}}（{{due_at}}）{{/"
         "due_at}}已超出升级时限，仍未发"
         "货。请负责人立即跟进，并主动联系客户说明情况。\n\n客户：{{customer_name}}\n商品：{{items}"
         "}"
         "{{#address}}\n收货地址：{{address}}{{/address}}"},
        {"Escalation: order {{order_no}} is long overdue",
         "Escalation: order {{order_no}} is long past its promised ship time{{#due_at}} "
         "({{due_at}}){{/due_at}}. Please follow up now.",
         "Order {{order_no}} is past its promised ship time{{#due_at}} ({{due_at}}){{/due_at}} "
         "by more than the escalation threshold and has still not shipped. Please follow up now "
         "and let the customer know.\n\nCustomer: {{customer_name}}\nItems: "
         "{{items}}{{#address}}\nShipping address: {{address}}{{/address}}"}},
    EventWording{EventType::product_created,
                 false,
                 {"新商品：{{sku}}", "新商品已创建：{{product_name}}（SKU {{sku}}）。",
                  "新商品已创建。\n\n名称：{{product_name}}\nSKU：{{sku}}"},
                 {"New product: {{sku}}", "New product created: {{product_name}} (SKU {{sku}}).",
                  "A new product was created.\n\nName: {{product_name}}\nSKU: {{sku}}"}},
    EventWording{EventType::stock_received,
                 false,
                 {"入库：{{sku}}", "SKU {{sku}}已入库{{quantity}}件。",
                  "SKU {{sku}}已入库。\n\n数量：{{quantity}}"},
                 {"Stock received: {{sku}}", "Received {{quantity}} units of SKU {{sku}}.",
                  "Stock was received for SKU {{sku}}.\n\nQuantity: {{quantity}}"}},
    EventWording{EventType::stock_adjusted,
                 false,
                 {"库存调整：{{sku}}", "SKU {{sku}}的库存已调整或盘点。",
                  "SKU {{sku}}的库存已调整或盘点，详情请查看库存流水。"},
                 {"Stock adjusted: {{sku}}", "Stock of SKU {{sku}} was adjusted or counted.",
                  "Stock of SKU {{sku}} was adjusted or counted. The stock ledger has the "
                  "details."}},
    EventWording{
        EventType::stock_transferred,
        false,
        {"库存调拨：{{sku}}",
         "SKU {{sku}}已从{{from_location}}调拨{{quantity}}件至{{to_location}}。",
         "SKU "
         "{{sku}}已完成调拨。\n\n调出：{{from_location}}\n调入：{{to_location}}\n数量：{{quantity}"
         "}"},
        {"Stock transferred: {{sku}}",
         "Moved {{quantity}} units of SKU {{sku}} from {{from_location}} to {{to_location}}.",
         "Stock of SKU {{sku}} was transferred.\n\nFrom: {{from_location}}\nTo: "
         "{{to_location}}\nQuantity: {{quantity}}"}},
    EventWording{
        EventType::stock_low,
        false,
        {"库存不足：{{sku}}",
         "库存预警：SKU "
         "{{sku}}可用库存仅剩{{available}}件，低于预警值{{threshold}}件，请及时补货。",
         "SKU {{sku}}的可用库存已低于预警值，请及时补货。\n\n可用库存：{{available}}\n预警值：{{"
         "threshold}}"},
        {"Low stock: {{sku}}",
         "Low stock: SKU {{sku}} has {{available}} available, below the threshold of "
         "{{threshold}}. Please reorder.",
         "Available stock of SKU {{sku}} is below its threshold. Please reorder.\n\nAvailable: "
         "{{available}}\nThreshold: {{threshold}}"}},
    EventWording{
        EventType::stock_replenished,
        false,
        {"库存已恢复：{{sku}}", "SKU {{sku}}可用库存已恢复至{{available}}件。",
         "SKU {{sku}}的可用库存已恢复到预警值以上，预警已解除。\n\n可用库存：{{available}}"},
        {"Stock replenished: {{sku}}", "SKU {{sku}} is back to {{available}} available.",
         "Available stock of SKU {{sku}} is back at or above its threshold; the low-stock "
         "alert is closed.\n\nAvailable: {{available}}"}},
    EventWording{
        EventType::notification_dead,
        false,
        {"通知失败：订单{{order_no}}",
         "订单{{order_no}}的「{{notified_event}}」通知未能送达客户（已尝试：{{channels}}）。{{#"
         "ticket_"
         "id}}已创建工单#{{ticket_id}}，{{/ticket_id}}请联系客户。",
         "订单{{order_no}}的「{{notified_event}}"
         "」通知在所有渠道均发送失败，客户尚未收到。\n\n已尝试"
         "渠道：{{channels}}\n客户：{{customer_name}}{{#ticket_id}}\n工单：#{{ticket_id}}{{/"
         "ticket_id}"
         "}\n\n请通过其他方式联系客户。"},
        {"Notification failed: order {{order_no}}",
         "The {{notified_event}} for order {{order_no}} could not be delivered (tried: "
         "{{channels}}). {{#ticket_id}}Ticket #{{ticket_id}} is open. {{/ticket_id}}Please "
         "contact the customer.",
         "The {{notified_event}} for order {{order_no}} failed on every channel: the customer has "
         "not been told.\n\nChannels tried: {{channels}}\nCustomer: "
         "{{customer_name}}{{#ticket_id}}\nTicket: #{{ticket_id}}{{/ticket_id}}\n\nPlease reach "
         "the customer another way."}},
    EventWording{
        EventType::ticket_opened,
        false,
        {"新工单 #{{ticket_id}}",
         "新工单#{{ticket_id}}：{{ticket_subject}}{{#order_no}}（订单{{order_no}}）{{/"
         "order_no}}，请"
         "及时处理。",
         "新的客服工单已创建，请及时处理。\n\n工单：#{{ticket_id}}\n类型：{{ticket_kind}}\n主题：{{"
         "ticket_subject}}{{#order_no}}\n订单：{{order_no}}{{/"
         "order_no}}{{#customer_name}}\n客户：{{"
         "customer_name}}{{/customer_name}}"},
        {"Ticket #{{ticket_id}} opened",
         "New ticket #{{ticket_id}}: {{ticket_subject}}{{#order_no}} (order "
         "{{order_no}}){{/order_no}}. Please follow up.",
         "A customer-service ticket was opened. Please follow up.\n\nTicket: #{{ticket_id}}\nKind: "
         "{{ticket_kind}}\nSubject: {{ticket_subject}}{{#order_no}}\nOrder: "
         "{{order_no}}{{/order_no}}{{#customer_name}}\nCustomer: "
         "{{customer_name}}{{/customer_name}}"}},
    EventWording{
        EventType::return_requested,
        true,
        {"订单{{order_no}}的退换货申请已提交",
         "您的订单{{order_no}}的退换货申请已提交{{#reason}}（原因：{{reason}}）{{/"
         "reason}}，我们会尽快"
         "审核并通知您结果。",
         "您的订单{{order_no}}的退换货申请已提交{{#reason}}，原因：{{reason}}{{/"
         "reason}}。\n\n我们会"
         "尽快审核，审核结果将另行通知您。"},
        {"Return request for order {{order_no}} received",
         "We have received your return request for order {{order_no}}{{#reason}} "
         "({{reason}}){{/reason}} and will review it shortly.",
         "We have received your return request for order {{order_no}}{{#reason}}. Reason: "
         "{{reason}}{{/reason}}.\n\nWe will review it shortly and let you know the outcome."}},
    EventWording{
        EventType::return_approved,
        true,
        {"订单{{order_no}}的退换货申请已通过",
         "您的订单{{order_no}}的退换货申请已通过审核，请按客服指引寄回商品，并告知退货的快递单号。",
         "您的订单{{order_no}}"
         "的退换货申请已通过审核。\n\n请按客服指引将商品寄回，并告知我们退货的快"
         "递公司和单号。我们收到并检查商品后会尽快为您处理。"},
        {"Return for order {{order_no}} approved",
         "Your return request for order {{order_no}} has been approved. Please send the goods back "
         "as customer service advises and tell us the tracking number.",
         "Your return request for order {{order_no}} has been approved.\n\nPlease send the goods "
         "back as customer service advises, and tell us the carrier and tracking number of the "
         "parcel. We will process it as soon as it arrives and has been checked."}},
    EventWording{
        EventType::return_rejected,
        true,
        {"订单{{order_no}}的退换货申请未通过",
         "很抱歉，您的订单{{order_no}}的退换货申请未通过审核{{#reason}}（原因：{{reason}}）{{/"
         "reason}}。如有疑问请联系客服。",
         "很抱歉，您的订单{{order_no}}的退换货申请未通过审核{{#reason}}，原因：{{reason}}{{/"
         "reason}}。\n\n如有疑问，请联系客服。"},
        {"Return for order {{order_no}} declined",
         "We are sorry: your return request for order {{order_no}} was declined{{#reason}} "
         "({{reason}}){{/reason}}. Questions? Please contact customer service.",
         "We are sorry: your return request for order {{order_no}} was declined{{#reason}}. "
         "Reason: {{reason}}{{/reason}}.\n\nIf you have any questions, please contact customer "
         "service."}},
    EventWording{
        EventType::order_delivered,
        true,
        {"订单{{order_no}}已全部签收",
         "您的订单{{order_no}}已全部签收。如有任何问题，请联系客服。{{#tracking_link}}"
         "评价本次配送：{{"
         "tracking_link}}{{/tracking_link}}",
         "您的订单{{order_no}}的所有包裹均已签收。\n\n商品：{{items}}{{#tracking_link}}"
         "\n\n欢迎告诉我们"
         "本次配送是否顺利：{{tracking_link}}{{/tracking_link}}\n\n如有任何问题，请联系客服。"},
        {"Order {{order_no}} delivered",
         "Every parcel of your order {{order_no}} has been delivered. {{#tracking_link}}Tell us "
         "how it went: {{tracking_link}}{{/tracking_link}}",
         "Every parcel of your order {{order_no}} has been delivered.\n\nItems: "
         "{{items}}{{#tracking_link}}\n\nTell us how the delivery went: "
         "{{tracking_link}}{{/tracking_link}}\n\nIf anything is wrong, please contact us."}},
    EventWording{
        EventType::tracking_out_for_delivery,
        true,
        {"订单{{order_no}}的包裹正在派送",
         "您的订单{{order_no}}的包裹（{{carrier_name}} "
         "{{tracking_no}}）正在派送中，请保持电话畅通。{{#"
         "tracking_link}}查看物流：{{tracking_link}}{{/tracking_link}}",
         "您的订单{{order_no}}的包裹正在派送中，请保持电话畅通。\n\n快递：{{carrier_name}} "
         "{{tracking_no}}{{#tracking_text}}\n最新动态：{{tracking_text}}{{/tracking_text}}{{#"
         "tracking_link}}\n查看物流：{{tracking_link}}{{/tracking_link}}"},
        {"Your parcel for order {{order_no}} is out for delivery",
         "Your parcel for order {{order_no}} ({{carrier_name}} {{tracking_no}}) is out for "
         "delivery today. {{#tracking_link}}Track it: {{tracking_link}}{{/tracking_link}}",
         "Your parcel for order {{order_no}} is out for delivery.\n\nCarrier: {{carrier_name}} "
         "{{tracking_no}}{{#tracking_text}}\nLatest: {{tracking_text}}{{/tracking_text}}{{#"
         "tracking_link}}\nTrack it: {{tracking_link}}{{/tracking_link}}"}},
    EventWording{
        EventType::tracking_delivered,
        true,
        {"订单{{order_no}}的包裹已签收",
         "您的订单{{order_no}}的包裹（{{carrier_name}} {{tracking_no}}）已签收。{{#tracking_link}}"
         "评价本次配送：{{tracking_link}}{{/tracking_link}}",
         "您的订单{{order_no}}的包裹已签收。\n\n快递：{{carrier_name}} {{tracking_no}}{{#tracking_"
         "at}}\n签收时间：{{tracking_at}}{{/"
         "tracking_at}}{{#tracking_link}}\n\n欢迎告诉我们本次配送是"
         "否顺利：{{tracking_link}}{{/tracking_link}}"},
        {"Your parcel for order {{order_no}} was delivered",
         "Your parcel for order {{order_no}} ({{carrier_name}} {{tracking_no}}) was delivered. "
         "{{#tracking_link}}Tell us how it went: {{tracking_link}}{{/tracking_link}}",
         "Your parcel for order {{order_no}} was delivered.\n\nCarrier: {{carrier_name}} "
         "{{tracking_no}}{{#tracking_at}}\nDelivered: {{tracking_at}}{{/tracking_at}}{{#tracking_"
         "link}}\n\nTell us how the delivery went: {{tracking_link}}{{/tracking_link}}"}},
    EventWording{
        EventType::tracking_exception,
        true,
        {"订单{{order_no}}的包裹配送异常",
         "您的订单{{order_no}}的包裹（{{carrier_name}} {{tracking_no}}）配送遇到问题{{#tracking_"
         "text}}：{{tracking_text}}{{/tracking_text}}。我们正在跟进，如有疑问请联系客服。",
         "您的订单{{order_no}}的包裹配送遇到问题，我们正在与快递公司跟进。\n\n快递：{{carrier_name}"
         "} "
         "{{tracking_no}}{{#tracking_text}}\n快递说明：{{tracking_text}}{{/tracking_text}}{{#"
         "tracking_link}}\n查看物流：{{tracking_link}}{{/tracking_link}}\n\n如有疑问请联系客服。"},
        {"A problem with your parcel for order {{order_no}}",
         "The carrier reports a problem with your parcel for order {{order_no}} ({{carrier_name}} "
         "{{tracking_no}}){{#tracking_text}}: {{tracking_text}}{{/tracking_text}}. We are on it; "
         "contact us with any questions.",
         "The carrier reports a problem with your parcel for order {{order_no}}. We are following "
         "it up with them.\n\nCarrier: {{carrier_name}} "
         "{{tracking_no}}{{#tracking_text}}\nCarrier's "
         "note: {{tracking_text}}{{/tracking_text}}{{#tracking_link}}\nTrack it: "
         "{{tracking_link}}{{/tracking_link}}\n\nContact us with any questions."}},
    EventWording{
        EventType::tracking_stalled,
        true,
        {"订单{{order_no}}的物流信息暂未更新",
         "您的订单{{order_no}}的包裹（{{carrier_name}} {{tracking_no}}）已超过{{stall_hours}}小时"
         "没有物流更新，如有疑问请联系客服，我们会协助查询。",
         "您的订单{{order_no}}的包裹已超过{{stall_hours}}小时没有物流更新。\n\n快递：{{carrier_"
         "name}} "
         "{{tracking_no}}{{#tracking_at}}\n最近一次更新：{{tracking_at}}{{/"
         "tracking_at}}{{#tracking_"
         "link}}\n查看物流：{{tracking_link}}{{/"
         "tracking_link}}\n\n如有疑问请联系客服，我们会协助您向快"
         "递公司查询。"},
        {"No tracking news for order {{order_no}}",
         "Your parcel for order {{order_no}} ({{carrier_name}} {{tracking_no}}) has had no "
         "tracking update for over {{stall_hours}} hours. Please contact us and we will chase it.",
         "Your parcel for order {{order_no}} has had no tracking update for over {{stall_hours}} "
         "hours.\n\nCarrier: {{carrier_name}} {{tracking_no}}{{#tracking_at}}\nLast update: "
         "{{tracking_at}}{{/tracking_at}}{{#tracking_link}}\nTrack it: "
         "{{tracking_link}}{{/tracking_link}}\n\nPlease contact us and we will chase the "
         "carrier."}},
    EventWording{
        EventType::return_received,
        true,
        {"订单{{order_no}}的退货已收到",
         "我们已收到您订单{{order_no}}寄回的商品，正在为您处理后续事宜。",
         "我们已收到您订单{{order_no}}"
         "寄回的商品并完成检查。\n\n退款或换货将尽快为您处理，届时会另行"
         "通知您。"},
        {"Return for order {{order_no}} received",
         "We have received the goods you sent back for order {{order_no}} and are processing your "
         "return.",
         "We have received and checked the goods you sent back for order {{order_no}}.\n\nWe will "
         "process your refund or exchange shortly and let you know."}},
    EventWording{
        EventType::refund_created,
        true,
        {"订单{{order_no}}退款处理中",
         "您的订单{{order_no}}的退款{{#refund_amount}}{{refund_amount}}{{/refund_amount}}正在处理"
         "中，将按原支付方式退回。",
         "您的订单{{order_no}}的退款正在处理中。{{#refund_amount}}\n\n退款金额：{{refund_amount}}{{"
         "/"
         "refund_amount}}{{#reason}}\n退款原因：{{reason}}{{/reason}}\n\n款项将按原支付方式退回，到"
         "账后我们会再通知您。"},
        {"Refund for order {{order_no}} in progress",
         "A refund{{#refund_amount}} of {{refund_amount}}{{/refund_amount}} for your order "
         "{{order_no}} is being processed, to your original payment method.",
         "A refund for your order {{order_no}} is being processed.{{#refund_amount}}\n\nAmount: "
         "{{refund_amount}}{{/refund_amount}}{{#reason}}\nReason: {{reason}}{{/reason}}\n\nIt "
         "goes back to your original payment method; we will let you know when it has been "
         "paid."}},
    EventWording{
        EventType::refund_completed,
        true,
        {"订单{{order_no}}退款已完成",
         "您的订单{{order_no}}的退款{{#refund_amount}}{{refund_amount}}{{/refund_amount}}已退回原"
         "支付账户，请注意查收。",
         "您的订单{{order_no}}的退款已完成。{{#refund_amount}}\n\n退款金额：{{refund_amount}}{{/"
         "refund_amount}}\n\n款项已按原支付方式退回，到账时间以支付机构为准。"},
        {"Refund for order {{order_no}} completed",
         "The refund{{#refund_amount}} of {{refund_amount}}{{/refund_amount}} for your order "
         "{{order_no}} has been paid back to your original payment method.",
         "The refund for your order {{order_no}} is complete.{{#refund_amount}}\n\nAmount: "
         "{{refund_amount}}{{/refund_amount}}\n\nIt has been paid back to your original payment "
         "method; when it shows depends on your payment provider."}},
};

constexpr std::string_view kGreetingZh =
    "{{#customer_name}}{{customer_name}}，您好：{{/customer_name}}{{^customer_name}}您好：{{/"
    "customer_name}}\n\n";
constexpr std::string_view kClosingZh = "\n\n感谢您的支持！";
constexpr std::string_view kGreetingEn =
    "{{#customer_name}}Hello {{customer_name}},{{/customer_name}}{{^customer_name}}Hello,{{/"
    "customer_name}}\n\n";
constexpr std::string_view kClosingEn = "\n\nThank you for shopping with us.";
constexpr std::string_view kFooterZh = "\n\n—— 此邮件由 depot 自动发送";
constexpr std::string_view kFooterEn = "\n\n— sent automatically by depot";

std::string email_body(const EventWording& wording, bool english) {
  std::string_view own = english ? wording.en.email : wording.zh.email;
  if (!wording.to_customer) {
    return std::string(own) + std::string(english ? kFooterEn : kFooterZh);
  }
  return std::string(english ? kGreetingEn : kGreetingZh) + std::string(own) +
         std::string(english ? kClosingEn : kClosingZh);
}

}  // namespace

MessageTemplate default_template(EventType event, ChannelKind channel, std::string_view locale) {
  const auto* wording = std::find_if(kWordings.begin(), kWordings.end(),
                                     [event](const EventWording& w) { return w.type == event; });
  if (wording == kWordings.end()) return {};
  bool english = template_locale(locale) == "en";
  const Wording& words = english ? wording->en : wording->zh;
  switch (channel) {
    case ChannelKind::sms:
    case ChannelKind::wechat:
      return {"", std::string(words.text)};
    case ChannelKind::push:
      return {std::string(words.title), std::string(words.text)};
    case ChannelKind::email:
      return {std::string(words.title), email_body(*wording, english)};
    case ChannelKind::webhook:
    case ChannelKind::platform:
      return {};
  }
  return {};
}

}  // namespace depot
