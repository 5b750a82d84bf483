namespace Parley.Core.History;

/// <summary>Options of <see cref="TokenBudgetChatReducer"/>: how many tokens of history a request may carry.</summary>
public sealed class TokenBudgetOptions
{
    /// <summary>The default <see cref="ReplyBudget"/>: 1 024 tokens.</summary>
    public const int DefaultReplyBudget = 1024;

    /// <summary>
    /// Gets or sets the model id. It picks the default <see cref="ContextWindow"/> (see <see cref="ModelContextWindows"/>)
    /// and the encoding (see <see cref="ChatTokenCounter.GetEncodingForModel"/>).
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: an unknown model, <see cref="ModelContextWindows.DefaultContextWindow"/> tokens counted with <see cref="ChatTokenCounter.Cl100kBase"/>.</value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the model's context window in tokens (input plus reply).</summary>
    /// <value>Defaults to <see langword="null"/>: looked up from <see cref="ModelId"/> with <see cref="ModelContextWindows.GetContextWindow"/>.</value>
    public int? ContextWindow { get; set; }

    /// <summary>Gets or sets the tokens kept free for the model's reply.</summary>
    /// <value>Defaults to <see cref="DefaultReplyBudget"/> (1 024). Must be at least 0 and less than the context window.</value>
    public int ReplyBudget { get; set; } = DefaultReplyBudget;

    /// <summary>
    /// Gets or sets the encoding to count with, overriding the one <see cref="ModelId"/> implies:
    /// <see cref="ChatTokenCounter.O200kBase"/> or <see cref="ChatTokenCounter.Cl100kBase"/>.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: chosen from <see cref="ModelId"/>.</value>
    public string? Encoding { get; set; }

    /// <summary>Gets the context window in effect: <see cref="ContextWindow"/>, or the one known for <see cref="ModelId"/>.</summary>
    /// <returns>The context window in tokens.</returns>
    public int GetEffectiveContextWindow() => ContextWindow ?? ModelContextWindows.GetContextWindow(ModelId);

    /// <summary>Checks the options and throws when one is out of range.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        if (ContextWindow is <= 0)
        {
            throw new ArgumentException($"{nameof(TokenBudgetOptions)}.{nameof(ContextWindow)} must be positive, but was {ContextWindow}.");
        }

        int window = GetEffectiveContextWindow();
        if (ReplyBudget < 0 || ReplyBudget >= window)
        {
            throw new ArgumentException(
                $"{nameof(TokenBudgetOptions)}.{nameof(ReplyBudget)} must be between 0 and the context window ({window}) exclusive, but was {ReplyBudget}.");
        }

        if (Encoding is not null && ChatTokenCounter.NormalizeEncoding(Encoding) is null)
        {
            throw new ArgumentException(
                $"{nameof(TokenBudgetOptions)}.{nameof(Encoding)} '{Encoding}' is not supported. Use '{ChatTokenCounter.O200kBase}' or '{ChatTokenCounter.Cl100kBase}'.");
        }
    }
}
