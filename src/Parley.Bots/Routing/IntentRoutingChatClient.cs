using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Nlu.Intents;

namespace Parley.Bots.Routing;

/// <summary>
/// Chat-client middleware that recognises the intent of the user's message and, when the classifier does not
/// reject it as out of scope and the intent has a response template, answers with the template without calling the
/// inner client. Otherwise the
/// message goes on, and the recognised intent (if confident) is recorded on the reply.
/// </summary>
public sealed class IntentRoutingChatClient : DelegatingChatClient
{
    private readonly IIntentClassifier _classifier;
    private readonly BotPack _pack;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client that answers what the templates do not.</param>
    /// <param name="classifier">The intent classifier.</param>
    /// <param name="pack">The bot pack with the intents, templates and threshold.</param>
    public IntentRoutingChatClient(IChatClient innerClient, IIntentClassifier classifier, BotPack pack)
        : base(innerClient)
    {
        _classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        _pack = pack ?? throw new ArgumentNullException(nameof(pack));
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

        IReadOnlyList<SourceCitation> sources = intent.Source is { } source
            ? [new SourceCitation(source, _pack.DocumentTitle(source), source, best.Confidence)]
            : [];
        return (match, BotReply.Create(intent.Response, options, new BotReplyInfo(BotRoutes.Template, match, sources)));
    }
}
