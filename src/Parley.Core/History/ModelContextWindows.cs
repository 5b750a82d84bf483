namespace Parley.Core.History;

/// <summary>
/// Known context windows (input plus output tokens) of common models, looked up by model id prefix.
/// </summary>
/// <remarks>
/// <para>
/// The lookup is case-insensitive, ignores a provider prefix (<c>openai/gpt-4o</c> is read as <c>gpt-4o</c>) and
/// takes the longest matching prefix, so <c>gpt-4o-mini</c> wins over <c>gpt-4o</c> and <c>gpt-4-turbo</c> over
/// <c>gpt-4</c>. Dated snapshots (<c>gpt-4o-2024-08-06</c>) and Ollama tags (<c>llama3:8b</c>) match their family.
/// </para>
/// <para>Known windows, in tokens:</para>
/// <list type="table">
///   <listheader><term>Prefix</term><description>Window</description></listheader>
///   <item><term><c>gpt-4o</c>, <c>gpt-4o-mini</c>, <c>chatgpt-4o</c></term><description>128 000</description></item>
///   <item><term><c>gpt-4.1</c> (also <c>-mini</c>, <c>-nano</c>)</term><description>1 047 576</description></item>
///   <item><term><c>gpt-5</c></term><description>400 000</description></item>
///   <item><term><c>gpt-5-chat</c></term><description>128 000</description></item>
///   <item><term><c>gpt-4-turbo</c></term><description>128 000</description></item>
///   <item><term><c>gpt-4-32k</c></term><description>32 768</description></item>
///   <item><term><c>gpt-4</c></term><description>8 192</description></item>
///   <item><term><c>gpt-3.5-turbo</c></term><description>16 385</description></item>
///   <item><term><c>o1</c>, <c>o3</c>, <c>o4-mini</c></term><description>200 000</description></item>
///   <item><term><c>o1-mini</c>, <c>o1-preview</c></term><description>128 000</description></item>
///   <item><term><c>llama3</c></term><description>8 192 (the original Llama 3 window; conservative for 3.1+)</description></item>
///   <item><term><c>qwen2.5</c>, <c>mistral</c></term><description>32 768</description></item>
/// </list>
/// <para>Any other model gets <see cref="DefaultContextWindow"/>.</para>
/// </remarks>
public static class ModelContextWindows
{
    /// <summary>The window assumed for a model that is not known: 8 192 tokens.</summary>
    public const int DefaultContextWindow = 8192;

    private static readonly KeyValuePair<string, int>[] s_windows =
    [
        new("gpt-4o-mini", 128_000),
        new("gpt-4o", 128_000),
        new("chatgpt-4o", 128_000),
        new("gpt-4.1", 1_047_576),
        new("gpt-5-chat", 128_000),
        new("gpt-5", 400_000),
        new("gpt-4-turbo", 128_000),
        new("gpt-4-32k", 32_768),
        new("gpt-4", 8_192),
        new("gpt-3.5-turbo", 16_385),
        new("o1-mini", 128_000),
        new("o1-preview", 128_000),
        new("o1", 200_000),
        new("o3", 200_000),
        new("o4-mini", 200_000),
        new("llama3", 8_192),
        new("qwen2.5", 32_768),
        new("mistral", 32_768),
    ];

    /// <summary>Gets the context window of <paramref name="modelId"/>, or <see cref="DefaultContextWindow"/> when it is not known.</summary>
    /// <param name="modelId">The model id, for example <c>gpt-4o-mini</c>; <see langword="null"/> or empty gives the default.</param>
    /// <returns>The context window in tokens.</returns>
    public static int GetContextWindow(string? modelId) =>
        TryGetContextWindow(modelId, out int window) ? window : DefaultContextWindow;

    /// <summary>Looks up the context window of <paramref name="modelId"/>.</summary>
    /// <param name="modelId">The model id, for example <c>gpt-4o-mini</c>.</param>
    /// <param name="contextWindow">The context window in tokens, when known.</param>
    /// <returns><see langword="true"/> when the model matched a known prefix.</returns>
    public static bool TryGetContextWindow(string? modelId, out int contextWindow)
    {
        string id = NormalizeModelId(modelId);
        string? best = null;
        contextWindow = 0;
        foreach (var (prefix, window) in s_windows)
        {
            if (id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (best is null || prefix.Length > best.Length))
            {
                best = prefix;
                contextWindow = window;
            }
        }

        return best is not null;
    }

    /// <summary>Trims a model id and drops a provider prefix such as <c>openai/</c>.</summary>
    internal static string NormalizeModelId(string? modelId)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            return string.Empty;
        }

        string id = modelId.Trim();
        int slash = id.LastIndexOf('/');
        return slash >= 0 ? id[(slash + 1)..] : id;
    }
}
