using Parley.Nlu.Data;

namespace Parley.Nlu.FineTuning;

/// <summary>What <see cref="OpenAIChatValidator"/> found in a chat-format fine-tuning file.</summary>
public sealed class OpenAIChatReport
{
    /// <summary>The file.</summary>
    public required string Path { get; init; }

    /// <summary>The model the tokens were counted for.</summary>
    public required string Model { get; init; }

    /// <summary>The token encoding used (<c>o200k_base</c> or <c>cl100k_base</c>).</summary>
    public required string Encoding { get; init; }

    /// <summary>The number of examples (non-blank lines).</summary>
    public required int Examples { get; init; }

    /// <summary>The per-example token limit checked against.</summary>
    public required int MaxTokensPerExample { get; init; }

    /// <summary>Problems that make OpenAI refuse the file, each with its line.</summary>
    public required IReadOnlyList<DatasetIssue> Errors { get; init; }

    /// <summary>Problems that do not refuse the file (few examples, truncated examples).</summary>
    public required IReadOnlyList<DatasetIssue> Warnings { get; init; }

    /// <summary>Whether the file has errors.</summary>
    public bool HasErrors => Errors.Count > 0;

    /// <summary>Examples without a system message.</summary>
    public required int MissingSystem { get; init; }

    /// <summary>Examples without a user message.</summary>
    public required int MissingUser { get; init; }

    /// <summary>Examples over <see cref="MaxTokensPerExample"/>, which are truncated in training.</summary>
    public required int OverTokenLimit { get; init; }

    /// <summary>Messages per example (of the examples with a readable <c>messages</c> array).</summary>
    public required ValueDistribution MessagesPerExample { get; init; }

    /// <summary>Total tokens per example, counted as OpenAI bills chat input.</summary>
    public required ValueDistribution TokensPerExample { get; init; }

    /// <summary>Tokens of the assistant messages' content per example.</summary>
    public required ValueDistribution AssistantTokensPerExample { get; init; }

    /// <summary>The epochs OpenAI chooses by default (see <see cref="OpenAIChatConstants.DefaultEpochs"/>).</summary>
    public required int Epochs { get; init; }

    /// <summary>The tokens one epoch trains on: the sum of min(tokens, limit) over the examples.</summary>
    public required long TokensPerEpoch { get; init; }

    /// <summary>The billed-token estimate: <see cref="Epochs"/> × <see cref="TokensPerEpoch"/>.</summary>
    public long BilledTokens => Epochs * TokensPerEpoch;
}
