using System.Text.Json;

namespace SnipcartGateway.Sandbox.Smartpay;

// The writes: bodies checked as Smartpay's JTD schema and SDKs describe them, integers in yen.
public static partial class SmartpayApiEndpoints
{
    private static readonly string[] Kinds = ["product", "discount", "tax"];

    private static Func<bool, JsonElement, (int Status, object? Body)> CreateSession(SmartpayState state) => (test, body) =>
    {
        var problems = new List<string>();
        var amount = Integer(body, "amount", problems, required: true);
        var currency = Text(body, "currency");
        if (currency is null)
        {
            problems.Add("currency is required.");
        }
        else if (!string.Equals(currency, "JPY", StringComparison.Ordinal))
        {
            problems.Add("currency must be JPY.");
        }
        var captureMethod = Text(body, "captureMethod") ?? "automatic";
        if (captureMethod is not ("automatic" or "manual"))
        {
            problems.Add("captureMethod must be automatic or manual.");
        }
        var locale = Text(body, "locale");
        if (locale is not (null or "en" or "ja"))
        {
            problems.Add("locale must be en or ja.");
        }
        var items = new List<SmartpaySimLineItem>();
        if (!body.TryGetProperty("items", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            problems.Add("items must be a non-empty array.");
        }
        else
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var name = item.ValueKind == JsonValueKind.Object ? Text(item, "name") : null;
                var unit = item.ValueKind == JsonValueKind.Object ? Integer(item, "amount", problems, required: true, $"items[{i}].") : null;
                var quantity = item.ValueKind == JsonValueKind.Object ? Integer(item, "quantity", problems, required: false, $"items[{i}].") ?? 1 : 0;
                var kind = item.ValueKind == JsonValueKind.Object ? Text(item, "kind") ?? "product" : "";
                if (name is null)
                {
                    problems.Add($"items[{i}].name is required.");
                }
                if (quantity < 1)
                {
                    problems.Add($"items[{i}].quantity must be at least 1.");
                }
                if (!Kinds.Contains(kind))
                {
                    problems.Add($"items[{i}].kind must be product, discount or tax.");
                }
                if (name is not null && unit is { } u && quantity >= 1 && Kinds.Contains(kind))
                {
                    items.Add(new SmartpaySimLineItem(name, u, (int)quantity, kind, currency ?? "JPY"));
                }
                i++;
            }
        }
        if (!body.TryGetProperty("customerInfo", out var customer) || customer.ValueKind != JsonValueKind.Object)
        {
            problems.Add("customerInfo is required.");
        }
        long fee = 0;
        JsonElement? shipping = null;
        if (!body.TryGetProperty("shippingInfo", out var shippingInfo) || shippingInfo.ValueKind != JsonValueKind.Object
            || !shippingInfo.TryGetProperty("address", out var address) || address.ValueKind != JsonValueKind.Object)
        {
            problems.Add("shippingInfo.address is required.");
        }
        else
        {
            shipping = shippingInfo.Clone();
            foreach (var field in new[] { "line1", "locality", "postalCode", "country" })
            {
                if (Text(address, field) is null)
                {
                    problems.Add($"shippingInfo.address.{field} is required.");
                }
            }
            fee = Integer(shippingInfo, "feeAmount", problems, required: false, "shippingInfo.") ?? 0;
        }
        var successUrl = Text(body, "successUrl");
        var cancelUrl = Text(body, "cancelUrl");
        foreach (var (name, url) in new[] { ("successUrl", successUrl), ("cancelUrl", cancelUrl) })
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                problems.Add($"{name} must be an absolute URL.");
            }
        }
        var reference = Text(body, "reference");
        // Shown to the shopper on the checkout page (the order's description in sdk-go's CheckoutSession types).
        var description = Text(body, "description");
        if (problems.Count == 0)
        {
            // What the SDKs compute when amount is left out; a stated amount must agree with it.
            var computed = items.Sum(i => (i.Kind == "discount" ? -i.Amount : i.Amount) * i.Quantity) + fee;
            if (computed != amount)
            {
                problems.Add($"amount {amount} does not match the items and shipping fee ({computed}).");
            }
        }
        if (problems.Count > 0)
        {
            return Error(400, "request.invalid", "The checkout session is invalid.", problems);
        }
        var (session, order) = state.CreateSession(test, amount!.Value, currency!, captureMethod, items, fee, shipping,
            customer.Clone(), reference, locale, successUrl!, cancelUrl!, description);
        return (200, SmartpaySimViews.Session(session, order, CheckoutUrl(state, session)));
    };

    private static Func<bool, JsonElement, (int Status, object? Body)> CreatePayment(SmartpayState state) => (test, body) =>
    {
        var problems = new List<string>();
        var orderId = Text(body, "order");
        var amount = Integer(body, "amount", problems, required: true);
        if (orderId is null)
        {
            problems.Add("order is required.");
        }
        if (problems.Count > 0)
        {
            return Error(400, "request.invalid", "The payment is invalid.", problems);
        }
        var (payment, code) = state.Capture(test, orderId!, amount!.Value, Text(body, "reference"));
        return code switch
        {
            null => (200, SmartpaySimViews.Payment(payment!)),
            "order.not-found" => Error(404, code, $"No order {orderId}."),
            _ => Error(400, code, code == "order.cannot-capture" ? "The order cannot be captured." : "The amount exceeds what can be captured."),
        };
    };

    private static Func<bool, JsonElement, (int Status, object? Body)> CreateRefund(SmartpayState state) => (test, body) =>
    {
        var problems = new List<string>();
        var paymentId = Text(body, "payment");
        var amount = Integer(body, "amount", problems, required: true);
        var currency = Text(body, "currency") ?? "JPY";
        var reason = Text(body, "reason");
        if (paymentId is null)
        {
            problems.Add("payment is required.");
        }
        if (reason is not ("requested_by_customer" or "fraudulent"))
        {
            problems.Add("reason must be requested_by_customer or fraudulent.");
        }
        if (problems.Count > 0)
        {
            return Error(400, "request.invalid", "The refund is invalid.", problems);
        }
        var (refund, code) = state.Refund(test, paymentId!, amount!.Value, currency, reason!, Text(body, "reference"));
        return code switch
        {
            null => (200, SmartpaySimViews.Refund(refund!)),
            "payment.not-found" => Error(404, code, $"No payment {paymentId}."),
            "amount.insufficient" => Error(400, code, "The amount exceeds what is left to refund on the payment."),
            _ => Error(400, code, "The refund is invalid."),
        };
    };

    private static Func<bool, JsonElement, (int Status, object? Body)> CreateWebhookEndpoint(SmartpayState state) => (test, body) =>
    {
        var url = Text(body, "url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            return Error(400, "request.invalid", "url must be an absolute URL.", ["url"]);
        }
        List<string>? subscriptions = null;
        if (body.TryGetProperty("eventSubscriptions", out var events) && events.ValueKind == JsonValueKind.Array)
        {
            subscriptions = [.. events.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }
        var endpoint = state.AddWebhookEndpoint(test, url!, subscriptions, Text(body, "description"));
        return (200, SmartpaySimViews.WebhookEndpoint(endpoint, withSecret: true));
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    /// <summary>A non-negative integer (JTD uint32); a fraction or a string is refused, never rounded.</summary>
    private static long? Integer(JsonElement element, string name, List<string> problems, bool required, string path = "")
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add($"{path}{name} is required.");
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < 0 || number > uint.MaxValue)
        {
            problems.Add($"{path}{name} must be a non-negative integer.");
            return null;
        }
        return number;
    }
}
