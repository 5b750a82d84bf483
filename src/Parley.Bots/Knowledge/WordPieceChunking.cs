using Parley.Nlu.Tokenization;
using Parley.Retrieval.Chunking;

namespace Parley.Bots.Knowledge;

/// <summary>Chunking options that count tokens with all-MiniLM-L6-v2's own WordPiece tokenizer, the encoder the bots embed passages with.</summary>
public static class WordPieceChunking
{
    /// <summary>The counter's name stored in on-disk indexes.</summary>
    public const string CounterName = "minilm-wordpiece";

    private static readonly Lazy<BertWordPieceTokenizer> Tokenizer = new(() => BertWordPieceTokenizer.CreateMiniLm());

    /// <summary>Creates the options.</summary>
    /// <param name="maxTokens">The most word pieces in a passage's text (MiniLM reads 256 with [CLS] and [SEP], title and heading included).</param>
    /// <param name="overlapTokens">The overlap between consecutive pieces of a long section, in word pieces.</param>
    public static ChunkingOptions Create(int maxTokens = ChunkingOptions.DefaultMaxTokens, int overlapTokens = ChunkingOptions.DefaultOverlapTokens)
    {
        var options = new ChunkingOptions
        {
            MaxTokens = maxTokens,
            OverlapTokens = overlapTokens,
            CountTokens = text => Tokenizer.Value.Tokenize(text).Count,
            CounterName = CounterName,
        };
        options.Validate();
        return options;
    }
}
