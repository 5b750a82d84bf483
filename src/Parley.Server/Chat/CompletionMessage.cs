namespace Parley.Server.Chat;

/// <summary>The reply message of a <see cref="ChatCompletion"/>.</summary>
/// <param name="Content">The reply text.</param>
public sealed record CompletionMessage(string Content)
{
    /// <summary>Always <c>assistant</c>.</summary>
    public string Role => "assistant";
}
