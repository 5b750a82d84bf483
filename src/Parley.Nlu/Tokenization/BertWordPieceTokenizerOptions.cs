namespace Parley.Nlu.Tokenization;

/// <summary>Options of a <see cref="BertWordPieceTokenizer"/>. The defaults match all-MiniLM-L6-v2 (BERT uncased).</summary>
public sealed class BertWordPieceTokenizerOptions
{
    /// <summary>
    /// The most tokens an encoded text may have, [CLS] and [SEP] included; longer texts are cut. Default 256, the
    /// max_seq_length of the all-MiniLM-L6-v2 sentence-transformer. At least 2, at most 512 (BERT's position table).
    /// </summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Whether text is lower-cased (an uncased vocabulary). Default <see langword="true"/>.</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>Whether accents are stripped (NFD, then non-spacing marks removed). Default <see langword="true"/>.</summary>
    public bool StripAccents { get; init; } = true;

    /// <summary>Words longer than this many characters (code points) become [UNK]. Default 100.</summary>
    public int MaxCharsPerWord { get; init; } = 100;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 2, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTokens, 512, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCharsPerWord, 1, nameof(MaxCharsPerWord));
    }
}
