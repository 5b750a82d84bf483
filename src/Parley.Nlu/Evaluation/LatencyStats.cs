using System.Text.Json.Serialization;

namespace Parley.Nlu.Evaluation;

/// <summary>How long predictions took.</summary>
/// <param name="P50Ms">Median time of one utterance, alone, in milliseconds.</param>
/// <param name="P95Ms">95th percentile of one utterance, alone, in milliseconds.</param>
/// <param name="BatchPerSecond">Utterances per second when predicting the whole set in batches.</param>
public sealed record LatencyStats(
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p95_ms")] double P95Ms,
    [property: JsonPropertyName("batch_per_second")] double BatchPerSecond);
