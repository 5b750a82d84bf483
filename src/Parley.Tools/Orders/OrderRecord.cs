using System.Text.Json.Serialization;

namespace Parley.Tools.Orders;

/// <summary>An order in a pack's sample order book (<c>orders.json</c>).</summary>
public sealed record OrderRecord
{
    /// <summary>The order number.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary><c>processing</c>, <c>shipped</c>, <c>out_for_delivery</c>, <c>delivered</c> or <c>cancelled</c>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>What was ordered.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<string> Items { get; init; } = [];

    /// <summary>The carrier, once shipped.</summary>
    [JsonPropertyName("carrier")]
    public string? Carrier { get; init; }

    /// <summary>The tracking number, once shipped.</summary>
    [JsonPropertyName("tracking")]
    public string? Tracking { get; init; }

    /// <summary>The expected delivery day, or the day it was delivered.</summary>
    [JsonPropertyName("delivery_date")]
    public DateOnly? DeliveryDate { get; init; }
}
