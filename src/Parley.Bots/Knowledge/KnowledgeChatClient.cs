using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Knowledge;

/// <summary>
/// Chat-client middleware that looks the user's message up in the bot's knowledge. In <see cref="KnowledgeMode.Quote"/>
/// mode it answers, when the best passage scores above the threshold, by quoting the sentences of that passage that
/// answer (or the whole passage when none stands out) with its source; in
/// <see cref="KnowledgeMode.Ground"/> mode it gives the relevant passages to the inner LLM as numbered sources and
/// reports the ones the reply cites.
/// </summary>
public sealed partial class KnowledgeChatClient : DelegatingChatClient
{
    private readonly IKnowledgeSearch _search;
    private readonly KnowledgeMode _mode;
    private readonly double _threshold;
    private readonly int _top;
    private readonly BotMessages _messages;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client that answers when the knowledge does not (Quote) or that generates (Ground).</param>
    /// <param name="search">The knowledge search.</param>
    /// <param name="mode">Quote offline, or ground an LLM.</param>
    /// <param name="threshold">The minimum passage score to use a passage.</param>
    /// <param name="top">How many passages to give an LLM.</param>
    /// <param name="messages">The wording of a quoted passage's introduction and source line; null for <see cref="BotMessages.English"/>.</param>
    public KnowledgeChatClient(IChatClient innerClient, IKnowledgeSearch search, KnowledgeMode mode, double threshold, int top = 3, BotMessages? messages = null)
        : base(innerClient)
    {
        _messages = messages ?? BotMessages.English;
        _search = search ?? throw new ArgumentNullException(nameof(search));
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        _mode = mode;
        _threshold = threshold;
        _top = top;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var hits = await FindAsync(list, cancellationToken).ConfigureAwait(false);
        if (_mode == KnowledgeMode.Quote)
        {
            return hits.Count > 0
                ? BotReply.Create(Quote(hits[0], list), options, new BotReplyInfo(BotRoutes.Retrieval, null, [Cite(hits[0])]))
                : await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.GetResponseAsync(Ground(list, hits), options, cancellationToken).ConfigureAwait(false);
        Annotate(response.AdditionalProperties ??= [], response.Text, hits);
        if (response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant) is { } reply)
        {
            ReplyCitations.Attach(reply, Citations(reply.Text, hits));
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var hits = await FindAsync(list, cancellationToken).ConfigureAwait(false);
        if (_mode == KnowledgeMode.Quote && hits.Count > 0)
        {
            var reply = BotReply.Create(Quote(hits[0], list), options, new BotReplyInfo(BotRoutes.Retrieval, null, [Cite(hits[0])]));
            foreach (var update in BotReply.Stream(reply))
            {
                yield return update;
            }

            yield break;
        }

        // The whole reply's text, for the sources; the last message's, for the citations' regions.
        var text = new StringBuilder();
        var lastMessage = new StringBuilder();
        string? messageId = null;
        var prompt = _mode == KnowledgeMode.Ground ? Ground(list, hits) : list;
        await foreach (var update in base.GetStreamingResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false))
        {
            if (update.MessageId is { } id && id != messageId)
            {
                messageId = id;
                lastMessage.Clear();
            }

            text.Append(update.Text);
            lastMessage.Append(update.Text);
            yield return update;
        }

        if (_mode == KnowledgeMode.Ground)
        {
            yield return BotReply.PropertiesUpdate(p => Annotate(p, text.ToString(), hits));
            if (Citations(lastMessage.ToString(), hits) is { Length: > 0 } citations)
            {
                // Its own update: merging puts an update's properties on its message when it has contents, and the
                // sources belong on the response.
                yield return new ChatResponseUpdate { Role = ChatRole.Assistant, MessageId = messageId, Contents = [ReplyCitations.Carrier(citations)] };
            }
        }
    }

    private async Task<IReadOnlyList<KnowledgeHit>> FindAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        if (BotReply.LastUserText(messages) is not { } query || _search.Count == 0)
        {
            return [];
        }

        var hits = await _search.SearchAsync(query, _top, cancellationToken).ConfigureAwait(false);
        return hits.Where(h => h.Score >= _threshold).ToArray();
    }

    /// <summary>The sentences of the passage that answer the question (<see cref="PassageQuote"/>), quoted, or the whole passage when none stands out.</summary>
    private string Quote(KnowledgeHit hit, IReadOnlyList<ChatMessage> messages)
    {
        var passage = hit.Passage;
        var where = passage.Heading.Length > 0 ? passage.Heading : passage.Title;
        var spans = PassageQuote.Select(passage, BotReply.LastUserText(messages) ?? string.Empty);
        var body = spans.Count == 0
            ? passage.Text
            : string.Join("\n", spans.Select(s => "> " + passage.Text.Substring(s.Start, s.Length).Replace("\n", "\n> ", StringComparison.Ordinal)));
        return _messages.FormatQuote(passage.Title, where == passage.Title ? null : LastHeading(where), body, passage.Source);
    }

    private static string LastHeading(string headingPath) => headingPath.Split(" › ")[^1];

    private static SourceCitation Cite(KnowledgeHit hit) =>
        new(hit.Passage.Id, hit.Passage.Heading.Length > 0 && LastHeading(hit.Passage.Heading) != hit.Passage.Title
                ? $"{hit.Passage.Title} › {LastHeading(hit.Passage.Heading)}"
                : hit.Passage.Title,
            hit.Passage.Source, hit.Score);

    /// <summary>Inserts the numbered sources after the system messages, so the model answers from them.</summary>
    private static IReadOnlyList<ChatMessage> Ground(IReadOnlyList<ChatMessage> messages, IReadOnlyList<KnowledgeHit> hits)
    {
        if (hits.Count == 0)
        {
            return messages;
        }

        var prompt = new StringBuilder()
            .AppendLine("Answer the user's last message using only the numbered sources below when they are relevant.")
            .AppendLine("Cite the sources you use as [1], [2], ... right after the sentence they support.")
            .AppendLine("If the sources do not contain the answer, say plainly that you do not know rather than guessing.")
            .AppendLine();
        for (var i = 0; i < hits.Count; i++)
        {
            var p = hits[i].Passage;
            prompt.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {p.Title}{(p.Heading.Length > 0 ? " › " + LastHeading(p.Heading) : "")} ({p.Source})").AppendLine()
                .AppendLine(p.Text)
                .AppendLine();
        }

        var systemCount = messages.TakeWhile(m => m.Role == ChatRole.System).Count();
        return [.. messages.Take(systemCount), new ChatMessage(ChatRole.System, prompt.ToString().TrimEnd()), .. messages.Skip(systemCount)];
    }

    private static void Annotate(AdditionalPropertiesDictionary properties, string reply, IReadOnlyList<KnowledgeHit> hits)
    {
        if (!properties.ContainsKey(BotReplyInfo.RouteKey))
        {
            properties[BotReplyInfo.RouteKey] = BotRoutes.Llm;
        }

        properties[BotReplyInfo.SourcesKey] = Markers(reply, hits).Select(m => m.Hit).Distinct().Select(i => Cite(hits[i])).ToArray();
    }

    /// <summary>A citation for each valid <c>[n]</c> marker of <paramref name="reply"/>, on the marker.</summary>
    private static CitationAnnotation[] Citations(string reply, IReadOnlyList<KnowledgeHit> hits) =>
        [.. Markers(reply, hits).Select(m => ReplyCitations.Create(Cite(hits[m.Hit]), m.Marker.Index, m.Marker.Index + m.Marker.Length, hits[m.Hit].Passage.Text))];

    /// <summary>The <c>[n]</c> markers of <paramref name="reply"/> that name one of <paramref name="hits"/>, with its index.</summary>
    private static IEnumerable<(Match Marker, int Hit)> Markers(string reply, IReadOnlyList<KnowledgeHit> hits) =>
        from Match m in CitationRegex().Matches(reply)
        let i = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - 1
        where i >= 0 && i < hits.Count
        select (m, i);

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex CitationRegex();
}
