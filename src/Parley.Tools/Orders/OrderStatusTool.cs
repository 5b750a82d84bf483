using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace Parley.Tools.Orders;

/// <summary>The <c>order_status</c> tool: looks an order up in an order book (a pack's sample <c>orders.json</c>).</summary>
public sealed class OrderStatusTool
{
    private static readonly HashSet<string> Statuses = ["processing", "shipped", "out_for_delivery", "delivered", "cancelled"];
    private static readonly CultureInfo ChineseCulture = CultureInfo.GetCultureInfo("zh-CN");
    private readonly IReadOnlyDictionary<string, OrderRecord> _orders;
    private readonly bool _chinese;

    /// <summary>Creates the tool over <paramref name="orders"/>.</summary>
    /// <param name="orders">The order book.</param>
    /// <param name="language">The language of the answers: <c>en</c> (the default) or <c>zh</c> (simplified Chinese).</param>
    public OrderStatusTool(IEnumerable<OrderRecord> orders, string language = "en")
    {
        ArgumentNullException.ThrowIfNull(orders);
        _orders = orders.ToDictionary(o => o.Id, StringComparer.OrdinalIgnoreCase);
        _chinese = language switch
        {
            "en" => false,
            "zh" => true,
            _ => throw new ArgumentException($"the order status tool answers in 'en' or 'zh', not '{language}'", nameof(language)),
        };
    }

    /// <summary>Reads an order book: a JSON array of orders.</summary>
    /// <param name="path">The order book.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="language">The language of the answers: <c>en</c> or <c>zh</c>.</param>
    /// <exception cref="InvalidDataException">The file is missing or not a valid order book; the message names the file and the order.</exception>
    public static async Task<OrderStatusTool> LoadAsync(string path, CancellationToken cancellationToken = default, string language = "en")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        OrderRecord[]? orders;
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                orders = await JsonSerializer.DeserializeAsync<OrderRecord[]>(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read the order book: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? -1) + 1}: not a valid order book (a JSON array of {{\"id\", \"status\", …}}): {e.Message}", e);
        }

        for (var i = 0; i < (orders?.Length ?? 0); i++)
        {
            if (!Statuses.Contains(orders![i].Status))
            {
                throw new InvalidDataException($"{path}: order '{orders[i].Id}' (item {i}) has status '{orders[i].Status}'; use one of {string.Join(", ", Statuses)}.");
            }
        }

        return new OrderStatusTool(orders ?? [], language);
    }

    /// <summary>Tells where an order is.</summary>
    [Description("Looks up the status of a customer's order by its order number.")]
    public string GetStatus([Description("The order number, e.g. \"10023\".")] string orderId)
    {
        var id = (orderId ?? "").Trim().TrimStart('#');
        if (id.Length == 0)
        {
            throw new ToolException(_chinese ? "请问订单号是多少？订单确认邮件里可以找到。" : "What is the order number? It is in your order confirmation email.");
        }

        if (!_orders.TryGetValue(id, out var order))
        {
            return _chinese ? $"找不到订单 {id}。请核对订单确认邮件里的订单号。" : $"I can't find order {id}. Please check the number in your order confirmation email.";
        }

        if (_chinese)
        {
            return Chinese(order);
        }

        var what = order.Items.Count == 0 ? "" : $" ({string.Join(", ", order.Items)})";
        var day = order.DeliveryDate is { } date ? date.ToString("dddd d MMMM", CultureInfo.InvariantCulture) : null;
        var tracking = order.Tracking is null ? "" : $", tracking number {order.Tracking}";
        return order.Status switch
        {
            "processing" => $"Order {order.Id}{what} is being prepared and has not shipped yet{(day is null ? "" : $"; expected delivery {day}")}.",
            "shipped" => $"Order {order.Id}{what} has shipped{(order.Carrier is null ? "" : $" with {order.Carrier}")}{tracking}{(day is null ? "" : $"; expected delivery {day}")}.",
            "out_for_delivery" => $"Order {order.Id}{what} is out for delivery today{(order.Carrier is null ? "" : $" with {order.Carrier}")}{tracking}.",
            "delivered" => $"Order {order.Id}{what} was delivered{(day is null ? "" : $" on {day}")}.",
            _ => $"Order {order.Id}{what} was cancelled.",
        };
    }

    private static string Chinese(OrderRecord order)
    {
        var what = order.Items.Count == 0 ? "" : $"（{string.Join("、", order.Items)}）";
        var day = order.DeliveryDate is { } date ? date.ToString("M月d日（dddd）", ChineseCulture) : null;
        var carrier = order.Carrier is null ? "" : $"，承运商 {order.Carrier}";
        var tracking = order.Tracking is null ? "" : $"，运单号 {order.Tracking}";
        return order.Status switch
        {
            "processing" => $"订单 {order.Id}{what}正在备货，还没有发货{(day is null ? "" : $"；预计 {day}送达")}。",
            "shipped" => $"订单 {order.Id}{what}已发货{carrier}{tracking}{(day is null ? "" : $"；预计 {day}送达")}。",
            "out_for_delivery" => $"订单 {order.Id}{what}今天正在派送{carrier}{tracking}。",
            "delivered" => $"订单 {order.Id}{what}已{(day is null ? "" : $"于 {day}")}送达。",
            _ => $"订单 {order.Id}{what}已取消。",
        };
    }
}
