using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Nlu.Intents;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Routing;

/// <summary>
/// Chat-client middleware that recognises the intent of the user's message and, when the classifier does not
/// reject it as out of scope and the intent has a response template, answers with the template without calling the
/// inner client. Otherwise the
/// message goes on, and the recognised intent (if confident) is recorded on the reply.
/// </summary>
public sealed class IntentRoutingChatClient : DelegatingChatClient
{
    /// <summary>
    /// The passage score (share of the question's words, <see cref="Knowledge.LexicalKnowledgeSearch"/>) from which bots
    /// with lexical knowledge let the knowledge answer instead of a template of another document. Chosen on the shop-zh
    /// pack's eval files (docs/BENCHMARKS.md).
    /// </summary>
    public const double LexicalKnowledgeOverride = 0.7;

    private readonly IIntentClassifier _classifier;
    private readonly BotPack _pack;
    private readonly IKnowledgeSearch? _knowledge;
    private readonly double _knowledgeOverride;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client that answers what the templates do not.</param>
    /// <param name="classifier">The intent classifier.</param>
    /// <param name="pack">The bot pack with the intents, templates and threshold.</param>
    /// <param name="knowledge">
    /// When given, a template gives way to the knowledge: the message goes on when the best passage scores at least
    /// <paramref name="knowledgeOverride"/> and comes from another document than the intent's <c>source</c>. Bots use
    /// it with lexical knowledge search (Chinese packs), whose character n-gram intent gate lets through questions
    /// that only share a few characters with an example; see docs/BENCHMARKS.md.
    /// </param>
    /// <param name="knowledgeOverride">The passage score from which the knowledge wins over a template of another document.</param>
    public IntentRoutingChatClient(IChatClient innerClient, IIntentClassifier classifier, BotPack pack, IKnowledgeSearch? knowledge = null, double knowledgeOverride = 1)
        : base(innerClient)
    {
        _classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        _pack = pack ?? throw new ArgumentNullException(nameof(pack));
        _knowledge = knowledge;
        _knowledgeOverride = knowledgeOverride;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var (match, template) = await RecogniseAsync(list, options, cancellationToken).ConfigureAwait(false);
        if (template is not null)
        {
            return template;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        if (match is not null)
        {
            (response.AdditionalProperties ??= [])[BotReplyInfo.IntentKey] = match;
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var (match, template) = await RecogniseAsync(list, options, cancellationToken).ConfigureAwait(false);
        if (template is not null)
        {
            foreach (var update in BotReply.Stream(template))
            {
                yield return update;
            }

            yield break;
        }

        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }

        if (match is not null)
        {
            yield return BotReply.PropertiesUpdate(p => p[BotReplyInfo.IntentKey] = match);
        }
    }

    private async Task<(IntentMatch? Match, ChatResponse? Template)> RecogniseAsync(
        IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (BotReply.LastUserText(messages) is not { } text)
        {
            return (null, null);
        }

        // The classifier decides what is out of scope (see BotIntentClassifier): an oos answer, or an intent the pack
        // does not have, goes on to knowledge and the LLM.
        var best = (await _classifier.ClassifyAsync(text, cancellationToken).ConfigureAwait(false)).Best;
        if (best is null || best.Intent == OutOfScope.Label || !_pack.IntentsByName.TryGetValue(best.Intent, out var intent))
        {
            return (null, null);
        }

        var match = new IntentMatch(intent.Name, best.Confidence);
        if (intent.Response is null)
        {
            return (match, null);
        }

        if (_knowledge is not null && (await _knowledge.SearchAsync(text, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault() is { } passage
            && passage.Score >= _knowledgeOverride && !string.Equals(passage.Passage.Source, intent.Source, StringComparison.Ordinal))
        {
            return (null, null);
        }

        IReadOnlyList<SourceCitation> sources = intent.Source is { } source
            ? [new SourceCitation(source, _pack.DocumentTitle(source), source, best.Confidence)]
            : [];
        return (match, BotReply.Create(intent.Response, options, new BotReplyInfo(BotRoutes.Template, match, sources)));
    }
}
