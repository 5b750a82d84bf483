using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Parley.Core.History;

/// <summary>
/// Counts the tokens chat messages cost as model input, the way OpenAI bills chat completions.
/// </summary>
/// <remarks>
/// <para>
/// The accounting follows OpenAI's cookbook (<i>How to count tokens with tiktoken</i>,
/// <c>num_tokens_from_messages</c>), which matches the <c>prompt_tokens</c> the API reports for the
/// gpt-3.5-turbo, gpt-4 and gpt-4o families. Each message costs:
/// </para>
/// <list type="bullet">
///   <item><see cref="TokensPerMessage"/> (the <c>&lt;|start|&gt;role&lt;|message|&gt;…&lt;|end|&gt;</c> framing);</item>
///   <item>the tokens of the role (<c>user</c>, <c>assistant</c>, …);</item>
///   <item>the tokens of each <see cref="TextContent"/>;</item>
///   <item>when <see cref="ChatMessage.AuthorName"/> is set, its tokens plus <see cref="TokensPerName"/>;</item>
///   <item>for each <see cref="FunctionCallContent"/>, its function name and its arguments as JSON;</item>
///   <item>for each <see cref="FunctionResultContent"/>, its result text (a string as is, anything else as JSON).</item>
/// </list>
/// <para>
/// JSON is written with <see cref="AIJsonUtilities.DefaultOptions"/> (indented), which is what
/// Microsoft.Extensions.AI's OpenAI adapter sends for arguments and non-string results.
/// </para>
/// <para>
/// A whole request adds <see cref="ReplyPrimingTokens"/> for the <c>&lt;|start|&gt;assistant&lt;|message|&gt;</c>
/// that primes the reply. Tool-call framing and tool definitions (<see cref="ChatOptions.Tools"/>) are not
/// published by OpenAI, so they are not counted; images, files and reasoning content are not counted either.
/// Treat the result as a close estimate for tool traffic and an exact count for plain text.
/// </para>
/// <para>Instances are immutable and thread-safe; tokenizers are created once per encoding and shared.</para>
/// </remarks>
public sealed class ChatTokenCounter
{
    /// <summary>The encoding of the gpt-4o, gpt-4.1, gpt-5 and o-series models.</summary>
    public const string O200kBase = "o200k_base";

    /// <summary>The encoding of the gpt-3.5-turbo and gpt-4 models; also used for models that are not known.</summary>
    public const string Cl100kBase = "cl100k_base";

    /// <summary>Tokens of framing every message costs on top of its content: 3.</summary>
    public const int TokensPerMessage = 3;

    /// <summary>Extra tokens a message with a name (<see cref="ChatMessage.AuthorName"/>) costs on top of the name: 1.</summary>
    public const int TokensPerName = 1;

    /// <summary>Tokens every request costs for priming the reply (<c>&lt;|start|&gt;assistant&lt;|message|&gt;</c>): 3.</summary>
    public const int ReplyPrimingTokens = 3;

    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> s_tokenizers = new(StringComparer.Ordinal);

    private static readonly string[] s_o200kPrefixes = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4"];

    private ChatTokenCounter(string encoding, Tokenizer tokenizer)
    {
        Encoding = encoding;
        Tokenizer = tokenizer;
    }

    /// <summary>Gets the name of the encoding in use: <see cref="O200kBase"/> or <see cref="Cl100kBase"/>.</summary>
    public string Encoding { get; }

    /// <summary>Gets the underlying tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>Creates a counter for <paramref name="modelId"/>.</summary>
    /// <param name="modelId">The model id; see <see cref="GetEncodingForModel"/> for how it picks the encoding.</param>
    /// <param name="encoding">Forces the encoding (<see cref="O200kBase"/> or <see cref="Cl100kBase"/>), for deployments whose name does not say the model.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="encoding"/> is not a supported encoding.</exception>
    public static ChatTokenCounter ForModel(string modelId, string? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return ForEncoding(encoding ?? GetEncodingForModel(modelId));
    }

    /// <summary>Creates a counter for an encoding.</summary>
    /// <param name="encoding"><see cref="O200kBase"/> or <see cref="Cl100kBase"/> (case-insensitive).</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="encoding"/> is not a supported encoding.</exception>
    public static ChatTokenCounter ForEncoding(string encoding)
    {
        string name = NormalizeEncoding(encoding)
            ?? throw new ArgumentException($"Unknown token encoding '{encoding}'. Use '{O200kBase}' or '{Cl100kBase}'.", nameof(encoding));
        var tokenizer = s_tokenizers.GetOrAdd(name, static n => new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding(n))).Value;
        return new ChatTokenCounter(name, tokenizer);
    }

    /// <summary>
    /// Gets the encoding OpenAI uses for <paramref name="modelId"/>: <see cref="O200kBase"/> for the gpt-4o, gpt-4.1,
    /// gpt-4.5, gpt-5 and o1/o3/o4 families, <see cref="Cl100kBase"/> for everything else (gpt-4, gpt-3.5-turbo and
    /// non-OpenAI models, for which it is a reasonable estimate).
    /// </summary>
    /// <param name="modelId">The model id; case-insensitive, a provider prefix such as <c>openai/</c> is ignored.</param>
    /// <returns>The encoding name.</returns>
    public static string GetEncodingForModel(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        string id = ModelContextWindows.NormalizeModelId(modelId);
        foreach (string prefix in s_o200kPrefixes)
        {
            if (id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return O200kBase;
            }
        }

        return Cl100kBase;
    }

    /// <summary>Returns the canonical name of a supported encoding, or <see langword="null"/> when it is not supported.</summary>
    internal static string? NormalizeEncoding(string? encoding) =>
        string.Equals(encoding, O200kBase, StringComparison.OrdinalIgnoreCase) ? O200kBase
        : string.Equals(encoding, Cl100kBase, StringComparison.OrdinalIgnoreCase) ? Cl100kBase
        : null;

    /// <summary>Counts the tokens of a piece of text, without any message framing.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : Tokenizer.CountTokens(text);
    }

    /// <summary>Counts the tokens one message costs, framing included but without <see cref="ReplyPrimingTokens"/>.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The number of tokens.</returns>
    public int CountTokens(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        int tokens = TokensPerMessage + CountTokens(message.Role.Value);
        if (!string.IsNullOrEmpty(message.AuthorName))
        {
            tokens += CountTokens(message.AuthorName) + TokensPerName;
        }

        foreach (AIContent content in message.Contents)
        {
            tokens += content switch
            {
                TextContent text => CountTokens(text.Text ?? string.Empty),
                FunctionCallContent call => CountTokens(call.Name) + CountTokens(ToJson(call.Arguments)),
                FunctionResultContent result => CountTokens(ResultText(result.Result)),
                _ => 0,
            };
        }

        return tokens;
    }

    /// <summary>Counts the tokens a request with these messages costs, <see cref="ReplyPrimingTokens"/> included.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>The number of tokens.</returns>
    public int CountTokens(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        int tokens = ReplyPrimingTokens;
        foreach (ChatMessage message in messages)
        {
            tokens += CountTokens(message);
        }

        return tokens;
    }

    private static string ToJson(IDictionary<string, object?>? arguments) =>
        arguments is null
            ? "{}"
            : JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));

    // Mirrors how the OpenAI adapter sends a tool result: a string as is, anything else as JSON.
    private static string ResultText(object? result)
    {
        switch (result)
        {
            case null:
                return string.Empty;
            case string s:
                return s;
            default:
                try
                {
                    return JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)));
                }
                catch (Exception ex) when (ex is NotSupportedException or JsonException)
                {
                    return result.ToString() ?? string.Empty;
                }
        }
    }
}
