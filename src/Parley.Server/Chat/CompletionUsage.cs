namespace Parley.Server.Chat;

/// <summary>Token counts of a completion, counted with the model's tokenizer.</summary>
/// <param name="PromptTokens">Tokens of the prompt, message framing included.</param>
/// <param name="CompletionTokens">Tokens of the reply.</param>
public sealed record CompletionUsage(int PromptTokens, int CompletionTokens)
{
    /// <summary>Prompt and reply tokens.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;
}
