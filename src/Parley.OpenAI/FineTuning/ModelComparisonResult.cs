using System.Text.Json.Nodes;

namespace Parley.OpenAI.FineTuning;

/// <summary>The outcome of comparing a base and a fine-tuned model on the same test data.</summary>
public sealed class ModelComparisonResult
{
    /// <summary>The base model id.</summary>
    public required string BaseModel { get; init; }

    /// <summary>The fine-tuned model id.</summary>
    public required string TunedModel { get; init; }

    /// <summary>The test data file.</summary>
    public required string DataPath { get; init; }

    /// <summary>Every example with both answers, in file order.</summary>
    public required IReadOnlyList<ComparisonItem> Items { get; init; }

    /// <summary>How many differing answers <see cref="Sample"/> keeps.</summary>
    public required int SampleSize { get; init; }

    /// <summary>The number of examples.</summary>
    public int Examples => Items.Count;

    /// <summary>Examples the base model answered as expected.</summary>
    public int BaseCorrect => Items.Count(i => i.BaseCorrect);

    /// <summary>Examples the fine-tuned model answered as expected.</summary>
    public int TunedCorrect => Items.Count(i => i.TunedCorrect);

    /// <summary>The base model's exact-match accuracy (0 to 1).</summary>
    public double BaseAccuracy => Examples == 0 ? 0 : (double)BaseCorrect / Examples;

    /// <summary>The fine-tuned model's exact-match accuracy (0 to 1).</summary>
    public double TunedAccuracy => Examples == 0 ? 0 : (double)TunedCorrect / Examples;

    /// <summary>Examples where the two models' answers differ.</summary>
    public int Differing => Items.Count(i => i.Differ);

    /// <summary>The first <see cref="SampleSize"/> examples (in file order) where the answers differ.</summary>
    public IReadOnlyList<ComparisonItem> Sample => [.. Items.Where(i => i.Differ).Take(SampleSize)];

    /// <summary>The result as snake_case JSON: both models' scores, the differing count and sample, and optionally every item.</summary>
    /// <param name="includeItems">Whether to add every item (for <c>results.json</c>).</param>
    public JsonObject ToJson(bool includeItems = false)
    {
        var json = new JsonObject
        {
            ["data"] = DataPath,
            ["examples"] = Examples,
            ["base"] = new JsonObject { ["model"] = BaseModel, ["correct"] = BaseCorrect, ["accuracy"] = Math.Round(BaseAccuracy, 4) },
            ["tuned"] = new JsonObject { ["model"] = TunedModel, ["correct"] = TunedCorrect, ["accuracy"] = Math.Round(TunedAccuracy, 4) },
            ["differing"] = Differing,
            ["sample"] = new JsonArray([.. Sample.Select(i => (JsonNode)i.ToJson())]),
        };
        if (includeItems)
        {
            json["items"] = new JsonArray([.. Items.Select(i => (JsonNode)i.ToJson())]);
        }

        return json;
    }
}
