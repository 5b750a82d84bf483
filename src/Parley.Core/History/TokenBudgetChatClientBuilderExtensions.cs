using Microsoft.Extensions.AI;

namespace Parley.Core.History;

/// <summary>Adds a token budget to a chat pipeline.</summary>
public static class TokenBudgetChatClientBuilderExtensions
{
    /// <summary>
    /// Trims the history each request sends to what fits the model's context window, with a
    /// <see cref="TokenBudgetChatReducer"/> inside Microsoft.Extensions.AI's <c>ReducingChatClient</c>.
    /// </summary>
    /// <remarks>
    /// Only what is sent is trimmed; the caller's history is not changed. Place it after
    /// <c>UseFunctionInvocation()</c> so each round of a tool loop is trimmed too.
    /// </remarks>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="options">The budget; validated here.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static ChatClientBuilder UseTokenBudget(this ChatClientBuilder builder, TokenBudgetOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var reducer = new TokenBudgetChatReducer(options);

        // MEAI001: ReducingChatClient / UseChatReducer are [Experimental] in Microsoft.Extensions.AI 10.11.0; reused rather than re-implemented.
#pragma warning disable MEAI001
        return builder.UseChatReducer(reducer);
#pragma warning restore MEAI001
    }
}
