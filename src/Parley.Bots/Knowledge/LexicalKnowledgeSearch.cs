using System.Collections.Frozen;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Knowledge;

/// <summary>
/// Lexical knowledge search for bots whose language the sentence encoder does not understand (Chinese): passages are
/// ranked by how much of the question they contain, and each hit's score is a number from 0 to 1 that a bot's
/// <c>thresholds.knowledge</c> can be compared with.
/// </summary>
/// <remarks>
/// Hits are in BM25 order (<see cref="Bm25KnowledgeIndex"/>, which segments Chinese with SmartCn: it ranked better
/// than jieba.NET on the shop-zh pack's knowledge checks, and better than ordering by the score below; see
/// docs/BENCHMARKS.md). BM25 scores are unbounded and only comparable within one query, so a hit's
/// <see cref="KnowledgeHit.Score"/> is instead the IDF-weighted share of the question's words (question and function
/// words removed) that occur in the passage's title, heading or text: 1 when the passage has every word of the
/// question, 0 when it has none. A word that no passage has counts with the highest IDF, so questions about things
/// the documents do not mention score low. One word in common with a question of several is weak evidence, so such a
/// passage scores half its share: 今天天气怎么样 shares 今天 with "派送中：快递公司预计今天送达" (0.44 of the weight, as
/// 今天 is rare in a shop's documents), which is not an answer; on the shop-zh pack's knowledge checks every passage
/// scoring 0.40 or more has two words or more of its question. Scores therefore need not decrease down the list;
/// passages with none of the question's words are left out.
/// </remarks>
public sealed class LexicalKnowledgeSearch : IKnowledgeSearch, IDisposable
{
    /// <summary>
    /// Words of questions rather than of topics: pronouns, particles, question words and request verbs. Their IDF over
    /// the documents says little, and a question word no document contains would otherwise count as a missing topic.
    /// </summary>
    internal static readonly FrozenSet<string> StopWords = new[]
    {
        "我", "我们", "你", "你们", "您", "他", "她", "它", "他们", "咱", "自己", "的", "地", "得", "了", "着", "过", "吗", "呢",
        "吧", "啊", "呀", "嘛", "啦", "哦", "哈", "么", "嗯", "是", "有", "没有", "在", "要", "想", "能", "能够", "会", "可以",
        "可", "请", "请问", "问", "一下", "下", "帮", "给", "让", "把", "被", "这", "那", "这个", "那个", "这些", "那些", "这样",
        "怎么", "怎样", "怎么样", "怎么办", "如何", "什么", "啥", "哪", "哪里", "哪儿", "哪些", "哪个", "为什么", "为啥",
        "还", "都", "也", "就", "才", "又", "再", "和", "跟", "与", "或", "或者", "还是", "个", "些", "一", "上", "里", "到",
        "对", "从", "时", "时候", "多", "很", "太", "最", "好", "行", "不", "没", "别", "先", "一个", "已经", "现在",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly Bm25KnowledgeIndex _index;
    private readonly Dictionary<string, HashSet<string>> _terms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);

    /// <summary>Creates the search over the passages of <paramref name="index"/>, which it then owns.</summary>
    /// <param name="index">The BM25 index that finds candidate passages.</param>
    public LexicalKnowledgeSearch(Bm25KnowledgeIndex index)
    {
        _index = index ?? throw new ArgumentNullException(nameof(index));
        foreach (var passage in index.Passages)
        {
            var terms = Analyze($"{passage.Title}\n{passage.Heading}\n{passage.Text}");
            _terms[passage.Id] = terms;
            foreach (var term in terms)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }
        }
    }

    /// <inheritdoc />
    public int Count => _index.Count;

    /// <summary>The BM25 index that finds the candidates.</summary>
    public Bm25KnowledgeIndex Index => _index;

    /// <inheritdoc />
    /// <remarks>Hits are in BM25 order; each hit's score is its share of the question's words, from 0 to 1 (see the class remarks).</remarks>
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var words = Analyze(query);
        words.ExceptWith(StopWords);
        if (Count == 0 || words.Count == 0)
        {
            return [];
        }

        var weights = words.ToDictionary(w => w, Idf, StringComparer.Ordinal);
        var total = weights.Values.Sum();
        var candidates = await _index.SearchAsync(query, Count, cancellationToken).ConfigureAwait(false);
        return candidates
            .Select(hit => new KnowledgeHit(hit.Passage, Math.Round(Score(weights, total, _terms[hit.Passage.Id]), 4)))
            .Where(hit => hit.Score > 0)
            .Take(top)
            .ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _index.Dispose();
    }

    // The IDF-weighted share of the question's words that the passage has; half of it when the passage has only one of
    // several words (see the class remarks).
    private static double Score(Dictionary<string, double> weights, double total, HashSet<string> passage)
    {
        var matched = weights.Where(w => passage.Contains(w.Key)).ToList();
        var share = matched.Sum(w => w.Value) / total;
        return matched.Count == 1 && weights.Count > 1 ? share / 2 : share;
    }

    // Lucene's BM25 IDF; a word no passage has gets the highest.
    private double Idf(string term)
    {
        var n = (double)Count;
        var df = _documentFrequency.GetValueOrDefault(term);
        return Math.Log(1 + (n - df + 0.5) / (df + 0.5));
    }

    private static HashSet<string> Analyze(string text) => new(ChineseSegmenter.Words(text), StringComparer.Ordinal);
}
