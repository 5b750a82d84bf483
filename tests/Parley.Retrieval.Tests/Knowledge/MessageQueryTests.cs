using Parley.Core.Text;
using Parley.Nlu.Embeddings;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Tests.Knowledge;

/// <summary>Questions as people write them: long messages with the question in one sentence, and misspellings.</summary>
public sealed class MessageQueryTests : IDisposable
{
    private readonly MiniLmEmbeddingGenerator _embeddings = new(intraOpThreads: 1);

    public void Dispose() => _embeddings.Dispose();

    private static KnowledgePassage Passage(string id, string title, string text) =>
        new(id, id.Split('#')[0], title, title, text, 0, text.Length);

    private static readonly KnowledgePassage[] Passages =
    [
        Passage("damaged.md#report", "Damaged items", "If an item arrives damaged or broken, send us a photo within 14 days and we replace it or refund you."),
        Passage("gifts.md#wrap", "Gift wrapping", "Any order can be gift wrapped with a handwritten card for your mother, partner or friend."),
        Passage("weather.md#rain", "Delivery in bad weather", "Storms and snow can delay couriers; parcels are kept dry in sealed bags."),
        Passage("returns.md#how", "Returns", "To return an item, start a return in your account within 30 days; we email a prepaid label."),
        Passage("loyalty.md#points", "Loyalty points", "Members collect one point per euro; points expire after two years without purchases."),
    ];

    private const string Story =
        "Good morning, I hope you are well. We had a lovely weekend at the seaside even though it rained a lot. " +
        "My mother turned seventy and the whole family came to celebrate with cake. " +
        "The weather was awful on the drive home and the roads were full of snow. ";

    [Fact]
    public async Task SearchAsync_LongMessage_SentenceSearchFindsThePassageTheQuestionAsksAbout()
    {
        var dense = await DenseKnowledgeIndex.FromPassagesAsync(_embeddings, Passages);
        var message = Story + Story + "The vase I ordered for her arrived broken. Can you replace it?";

        var asWritten = await dense.WithQueryOptions(KnowledgeQueryOptions.AsWritten).SearchAsync(message, top: 5);
        var planned = await dense.SearchAsync(message, top: 5);

        Assert.Equal("damaged.md#report", planned[0].Passage.Id);
        var before = asWritten.First(h => h.Passage.Id == "damaged.md#report").Score;
        Assert.True(planned[0].Score > before, $"sentence search {planned[0].Score}, whole message {before}");
    }

    [Fact]
    public async Task SearchAsync_MisspeltQuestion_CorrectedQueryFindsThePassage()
    {
        var dense = await DenseKnowledgeIndex.FromPassagesAsync(_embeddings, Passages);

        var hits = await dense.SearchAsync("how do i retrun somethng", top: 1);
        var asWritten = await dense.WithQueryOptions(KnowledgeQueryOptions.AsWritten).SearchAsync("how do i retrun somethng", top: 5);

        Assert.Equal("returns.md#how", hits[0].Passage.Id);
        Assert.True(hits[0].Score > asWritten.First(h => h.Passage.Id == "returns.md#how").Score);
    }

    [Fact]
    public async Task SearchAsync_FuzzyTerms_MisspeltTermsMatchInTheLexicalChannelOnlyWhenFuzzy()
    {
        var dense = await DenseKnowledgeIndex.FromPassagesAsync(_embeddings, Passages);
        using var lexical = Bm25KnowledgeIndex.Create(Passages);
        HybridKnowledgeSearch LexicalOnly(bool fuzzy) => new(lexical, dense, new HybridSearchOptions { DenseWeight = 0, LexicalWeight = 1, FuzzyTerms = fuzzy });
        const string query = "loyality pionts expirey";

        var exact = await LexicalOnly(fuzzy: false).SearchAsync(query, top: 5);
        var fuzzy = await LexicalOnly(fuzzy: true).SearchAsync(query, top: 5);

        Assert.All(exact, h => Assert.Equal(0, h.Fused));
        Assert.Equal("loyalty.md#points", fuzzy[0].Passage.Id);
        Assert.True(fuzzy[0].Fused > 0);
    }

    [Fact]
    public void Correct_PassageVocabulary_FixesMisspellingsAndKeepsKnownAndShortWords()
    {
        var vocabulary = SpellingVocabulary.Create(Passages.SelectMany(p => (string[])[p.Title, p.Heading, p.Text]));

        Assert.Equal("how do i return an item", vocabulary.Correct("how do i retrun an item"));
        Assert.Equal("when do points expire", vocabulary.Correct("when do ponits expire"));
        Assert.Null(vocabulary.Correct("can I pay by card"));
        Assert.Null(vocabulary.Correct("xyzzy quux"));
    }

    [Fact]
    public void Correct_WordsKnownElsewhere_StayAsWritten()
    {
        var examples = SpellingVocabulary.Create(["is it right", "where is my order"]);
        var knowledge = SpellingVocabulary.Create(["Every order number has eight digits."]);

        Assert.Equal("it's been right days, where is my order", examples.Correct("it's been eight days, where is my oder"));
        Assert.Equal("it's been eight days, where is my order", examples.Correct("it's been eight days, where is my oder", knowledge));
        Assert.Null(examples.Correct("it's been eight days", knowledge));
    }

    [Fact]
    public void Create_GreetingStoryQuestion_WholeMessageThenSentencesQuestionsMarked()
    {
        var plan = QueryPlan.Create("Hi, my kettle arrived yesterday and the lid is dented. It was a present for my mum. Can you replace it or refund me?");

        Assert.Equal(4, plan.Count);
        Assert.StartsWith("Hi, my kettle", plan[0].Text, StringComparison.Ordinal);
        Assert.Equal(("Can you replace it or refund me?", true), plan[3]);
        Assert.False(plan[1].Question);
        Assert.Single(QueryPlan.Create("where is my parcel?"));
    }
}
