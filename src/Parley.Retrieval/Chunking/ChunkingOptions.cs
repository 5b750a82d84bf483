using System.Globalization;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Chunking;

/// <summary>How <see cref="MarkdownChunker"/> cuts documents into passages: by structure, within a token limit, with overlap.</summary>
/// <remarks>
/// The limit should leave room for the title and heading that are embedded with each passage and for the encoder's
/// special tokens: all-MiniLM-L6-v2 reads 256 word pieces including [CLS] and [SEP], so the default of 200 leaves
/// about 50 for the title and heading path.
/// </remarks>
public sealed class ChunkingOptions
{
    /// <summary>The default token limit of a passage's text.</summary>
    public const int DefaultMaxTokens = 200;

    /// <summary>The default overlap between consecutive pieces of a section that is split.</summary>
    public const int DefaultOverlapTokens = 30;

    /// <summary>The name of <see cref="EstimateTokens"/>, the counter used when none is given.</summary>
    public const string EstimateName = "estimate";

    /// <summary>The most tokens in a passage's text, counted by <see cref="CountTokens"/>. Default 200.</summary>
    public int MaxTokens { get; init; } = DefaultMaxTokens;

    /// <summary>
    /// When a section is longer than <see cref="MaxTokens"/>, each piece after the first starts with the last
    /// sentences of the piece before, up to this many tokens (whole sentences only; none when the last sentence is
    /// longer). Default 30 (15% of the default limit); 0 for no overlap.
    /// </summary>
    public int OverlapTokens { get; init; } = DefaultOverlapTokens;

    /// <summary>
    /// Counts the tokens of a text without special tokens; null for <see cref="EstimateTokens"/>. Products pass the
    /// encoder's own tokenizer (all-MiniLM-L6-v2's WordPiece), so that no passage is cut short by the encoder.
    /// </summary>
    public Func<string, int>? CountTokens { get; init; }

    /// <summary>
    /// Names the token counter; it is stored in an on-disk index, so that a change of counter or limits re-chunks
    /// every file. Default <see cref="EstimateName"/>.
    /// </summary>
    public string CounterName { get; init; } = EstimateName;

    /// <summary>The defaults: 200 estimated tokens with 30 of overlap.</summary>
    public static ChunkingOptions Default { get; } = new();

    /// <summary>A short description of the settings that change what is stored, e.g. <c>wordpiece/200/30</c>.</summary>
    public string Signature => string.Create(CultureInfo.InvariantCulture, $"{CounterName}/{MaxTokens}/{OverlapTokens}");

    /// <summary>Counts tokens with <see cref="CountTokens"/>, or <see cref="EstimateTokens"/> when it is null.</summary>
    /// <param name="text">The text.</param>
    public int Count(string text) => CountTokens is { } count ? count(text) : EstimateTokens(text);

    /// <summary>
    /// A tokenizer-free over-estimate of BERT word pieces: each punctuation or symbol character and each CJK character
    /// is one token, and each run of letters or digits one token per four characters (rounded up).
    /// </summary>
    /// <param name="text">The text.</param>
    public static int EstimateTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = 0;
        var run = 0;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) && !TextScript.IsCjk(c))
            {
                run++;
                continue;
            }

            tokens += (run + 3) / 4;
            run = 0;
            if (!char.IsWhiteSpace(c))
            {
                tokens++;
            }
        }

        return tokens + (run + 3) / 4;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 8, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(OverlapTokens, nameof(OverlapTokens));
        if (OverlapTokens >= MaxTokens / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(OverlapTokens), OverlapTokens, $"The overlap must be less than half the token limit ({MaxTokens}).");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(CounterName, nameof(CounterName));
    }
}
