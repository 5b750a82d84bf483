using System.Text.Json.Nodes;

namespace Parley.Core.Runs;

/// <summary>
/// A recorded training run: what was trained on what data with which parameters, how each epoch went, and the
/// final metrics — so runs can be listed and compared later.
/// </summary>
public sealed record RunRecord
{
    /// <summary>The run id.</summary>
    public required string Id { get; init; }

    /// <summary>What was trained, e.g. <c>intent-model</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The hash of the training data, to tell runs on the same data apart from runs on other data.</summary>
    public string? DataHash { get; init; }

    /// <summary>Where the trained model was written, if anywhere.</summary>
    public string? ModelPath { get; init; }

    /// <summary>The parameters (optimizer, learning rate, seed, …).</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>One object per epoch (train loss, validation loss, validation accuracy, …).</summary>
    public JsonArray History { get; init; } = [];

    /// <summary>The final metrics.</summary>
    public JsonObject Metrics { get; init; } = [];
}
