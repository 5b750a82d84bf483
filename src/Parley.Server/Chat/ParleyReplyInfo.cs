using Parley.Bots.Replies;

namespace Parley.Server.Chat;

/// <summary>The <c>parley</c> extension field of a bot reply: how the bot answered. OpenAI clients ignore it.</summary>
/// <param name="Route">One of <see cref="BotRoutes"/>.</param>
/// <param name="Intent">The recognised intent, if any.</param>
/// <param name="Sources">The cited sources, best first.</param>
/// <param name="Session">The session the turn was stored in, when the request named one.</param>
/// <param name="ToolCalls">The tool calls made or proposed (one not run has <c>approved: false</c> and no result); null when there were none.</param>
/// <param name="AwaitingApproval">True when the reply asks the user to approve its tool call (answer "yes" or "no" in the next message); left out otherwise.</param>
public sealed record ParleyReplyInfo(
    string Route, IntentMatch? Intent, IReadOnlyList<SourceCitation> Sources, string? Session, IReadOnlyList<ToolCallRecord>? ToolCalls = null, bool? AwaitingApproval = null)
{
    /// <summary>The extension field for <paramref name="info"/>.</summary>
    public static ParleyReplyInfo From(BotReplyInfo info, string? session, bool awaitingApproval = false)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new ParleyReplyInfo(info.Route, info.Intent, info.Sources, session, info.ToolCalls, awaitingApproval ? true : null);
    }
}
