using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Parley.Retrieval.Chunking;

namespace Parley.Retrieval.Knowledge;

/// <summary>
/// A Lucene index (in memory, or in a folder of an on-disk knowledge index) over knowledge passages (title, heading and text), ranked by BM25. Each passage is
/// analysed as English (possessives removed, Porter-stemmed, question stop words removed: see <see cref="EnglishSearchAnalysis"/>) or, when most of its letters are CJK ideographs, as Chinese
/// with the SmartCn word segmenter; a query is analysed both ways and matched against both.
/// </summary>
public sealed class Bm25KnowledgeIndex : IKnowledgeSearch, IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string EnglishField = "en";
    private const string ChineseField = "zh";
    private const string OrdinalField = "i";

    private readonly KnowledgePassage[] _passages;
    private readonly Lucene.Net.Store.Directory _directory;
    private readonly Analyzer _english;
    private readonly Analyzer _chinese;
    private readonly DirectoryReader? _reader;
    private readonly IndexSearcher? _searcher;

    private Bm25KnowledgeIndex(KnowledgePassage[] passages, Lucene.Net.Store.Directory directory, bool write)
    {
        _passages = passages;
        _directory = directory;
        _english = EnglishSearchAnalysis.Create(Version);
        _chinese = new SmartChineseAnalyzer(Version);
        if (passages.Length == 0)
        {
            return;
        }

        if (!write)
        {
            _reader = DirectoryReader.Open(_directory);
            if (_reader.NumDocs != passages.Length)
            {
                var found = _reader.NumDocs;
                Dispose();
                throw new InvalidDataException($"the Lucene index holds {found} passages, the manifest {passages.Length}");
            }

            _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
            return;
        }

        var analyzer = new PerFieldAnalyzerWrapper(_english, new Dictionary<string, Analyzer> { [ChineseField] = _chinese });
        var config = new IndexWriterConfig(Version, analyzer) { Similarity = new BM25Similarity(), OpenMode = OpenMode.CREATE };
        using (var writer = new IndexWriter(_directory, config))
        {
            for (var i = 0; i < passages.Length; i++)
            {
                var passage = passages[i];
                var text = $"{passage.Title}\n{passage.Heading}\n{passage.Text}";
                var field = TextScript.IsChinese(text) ? ChineseField : EnglishField;
                writer.AddDocument(new Document
                {
                    new StoredField(OrdinalField, i),
                    new TextField(field, text, Field.Store.NO),
                });
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    /// <inheritdoc />
    public int Count => _passages.Length;

    /// <summary>The indexed passages.</summary>
    public IReadOnlyList<KnowledgePassage> Passages => _passages;

    /// <summary>Creates an index over the given passages.</summary>
    /// <param name="passages">The passages, for example from <see cref="KnowledgeFolder.ReadPassagesAsync"/>.</param>
    public static Bm25KnowledgeIndex Create(IEnumerable<KnowledgePassage> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        return new Bm25KnowledgeIndex(passages.ToArray(), new RAMDirectory(), write: true);
    }

    /// <summary>Creates an index over the given passages in <paramref name="folder"/> (a Lucene <see cref="FSDirectory"/>), replacing what is there.</summary>
    /// <param name="passages">The passages.</param>
    /// <param name="folder">The folder of the Lucene index.</param>
    public static Bm25KnowledgeIndex Create(IEnumerable<KnowledgePassage> passages, string folder)
    {
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(folder);
        return new Bm25KnowledgeIndex(passages.ToArray(), FSDirectory.Open(folder), write: true);
    }

    /// <summary>Opens the Lucene index in <paramref name="folder"/> written by <see cref="Create(IEnumerable{KnowledgePassage}, string)"/> over the same passages.</summary>
    /// <param name="passages">The passages, in the order they were indexed.</param>
    /// <param name="folder">The folder of the Lucene index.</param>
    /// <exception cref="InvalidDataException">The index does not hold as many passages as given.</exception>
    public static Bm25KnowledgeIndex Open(IEnumerable<KnowledgePassage> passages, string folder)
    {
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(folder);
        return new Bm25KnowledgeIndex(passages.ToArray(), FSDirectory.Open(folder), write: false);
    }

    /// <summary>Reads, chunks and indexes every document under <paramref name="folder"/>.</summary>
    /// <param name="folder">The knowledge folder; a missing folder gives an empty index.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<Bm25KnowledgeIndex> BuildAsync(string folder, ChunkingOptions? chunking = null, CancellationToken cancellationToken = default)
    {
        var passages = await KnowledgeFolder.ReadPassagesAsync(folder, chunking, cancellationToken).ConfigureAwait(false);
        return Create(passages);
    }

    /// <inheritdoc />
    /// <remarks>The score of a hit is its BM25 score, which is unbounded and only comparable within one query.</remarks>
    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<KnowledgeHit> hits = Rank(query, top)
            .Select(r => new KnowledgeHit(_passages[r.Index], Math.Round(r.Score, 4)))
            .ToArray();
        return Task.FromResult(hits);
    }

    /// <summary>The best <paramref name="top"/> passages by BM25, as indexes into <see cref="Passages"/>; passages that share no term with the query are left out.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="top">The most passages returned.</param>
    /// <param name="fuzzy">
    /// Whether an English query term of five or more characters (after stemming) that no passage holds (a misspelling)
    /// matches the passages' terms within one edit (two for terms of seven or more characters) instead; terms the
    /// passages hold match exactly either way. Shorter terms are left alone: at four letters a real word the passages
    /// do not use is one edit from too many others ("card" from "care").
    /// </param>
    internal IReadOnlyList<(int Index, float Score)> Rank(string query, int top, bool fuzzy = false)
    {
        if (_searcher is null || string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var boolean = new BooleanQuery();
        AddTerms(boolean, _english, EnglishField, query, fuzzy ? _reader : null);
        AddTerms(boolean, _chinese, ChineseField, query, null);
        if (boolean.Clauses.Count == 0)
        {
            return [];
        }

        var docs = _searcher.Search(boolean, Math.Min(top, _passages.Length));
        return docs.ScoreDocs
            .Select(d => (_searcher.Doc(d.Doc).GetField(OrdinalField).GetInt32Value() ?? throw new InvalidOperationException("The BM25 index lost a passage ordinal."), d.Score))
            .ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _reader?.Dispose();
        _directory.Dispose();
        _english.Dispose();
        _chinese.Dispose();
    }

    private static void AddTerms(BooleanQuery query, Analyzer analyzer, string field, string text, IndexReader? fuzzyOver)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = analyzer.GetTokenStream(field, text);
        var attribute = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && query.Clauses.Count < BooleanQuery.MaxClauseCount)
        {
            var value = attribute.ToString();
            if (!seen.Add(value))
            {
                continue;
            }

            var term = new Term(field, value);
            query.Add(
                fuzzyOver is not null && value.Length >= 5 && fuzzyOver.DocFreq(term) == 0
                    ? new FuzzyQuery(term, value.Length >= 7 ? 2 : 1, prefixLength: 0, maxExpansions: 10, transpositions: true)
                    : new TermQuery(term),
                Occur.SHOULD);
        }

        stream.End();
    }
}
