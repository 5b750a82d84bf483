namespace Parley.Server.Chat;

/// <summary>The body of a non-streaming <c>POST /v1/chat/completions</c> answer.</summary>
/// <param name="Id">The completion id.</param>
/// <param name="Created">When it was created, in Unix seconds.</param>
/// <param name="Model">The model id.</param>
/// <param name="Choices">The one choice.</param>
/// <param name="Usage">The token counts.</param>
/// <param name="Parley">How the bot answered.</param>
public sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<CompletionChoice> Choices, CompletionUsage Usage, ParleyReplyInfo? Parley)
{
    /// <summary>Always <c>chat.completion</c>.</summary>
    public string Object => "chat.completion";
}
