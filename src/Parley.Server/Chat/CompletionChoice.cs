namespace Parley.Server.Chat;

/// <summary>The one choice of a <see cref="ChatCompletion"/>.</summary>
/// <param name="Index">Always 0.</param>
/// <param name="Message">The reply.</param>
/// <param name="FinishReason"><c>stop</c>, or <c>length</c> when the reply was cut at the token limit.</param>
public sealed record CompletionChoice(int Index, CompletionMessage Message, string FinishReason);
