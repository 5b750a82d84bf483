using System.Text.RegularExpressions;

namespace Parley.Retrieval.Ingestion;

/// <summary>
/// Turns MDX into Markdown: <c>import</c>/<c>export</c> lines, JSX-style tags (<c>&lt;Note&gt;</c>,
/// <c>&lt;/Note&gt;</c>, <c>&lt;Tabs items={[...]} /&gt;</c>) and one-line <c>{...}</c> expressions are removed;
/// the text between tags stays. Autolinks such as <c>&lt;https://example.com&gt;</c> are kept.
/// </summary>
public static partial class MdxText
{
    private const string Tag = @"</?(?:[A-Za-z][\w.-]*(?:\s+(?:[^<>""'{}]|""[^""]*""|'[^']*'|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})*)?)?\s*/?>";

    /// <summary>Removes the JSX parts of <paramref name="mdx"/>.</summary>
    public static string StripJsx(string mdx)
    {
        ArgumentNullException.ThrowIfNull(mdx);
        var text = ModuleLineRegex().Replace(mdx, string.Empty);
        // A tag alone on its line goes with its indentation, which Markdown would otherwise read as a code block.
        text = TagLineRegex().Replace(text, string.Empty);
        text = TagRegex().Replace(text, string.Empty);
        return ExpressionRegex().Replace(text, string.Empty);
    }

    [GeneratedRegex(@"^(?:import|export)\s.*$", RegexOptions.Multiline)]
    private static partial Regex ModuleLineRegex();

    [GeneratedRegex(@"^[ \t]*(?:" + Tag + @"[ \t]*)+$", RegexOptions.Multiline)]
    private static partial Regex TagLineRegex();

    [GeneratedRegex(Tag)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"\{[^{}\n]*\}")]
    private static partial Regex ExpressionRegex();
}
