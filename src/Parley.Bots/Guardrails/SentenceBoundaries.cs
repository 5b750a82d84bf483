namespace Parley.Bots.Guardrails;

/// <summary>Where sentences end in a reply, for checking it one sentence at a time.</summary>
internal static class SentenceBoundaries
{
    private const string Terminators = ".!?…";
    private const string WideTerminators = "。！？；";
    private const string Closers = "\"')]”’»」』";

    /// <summary>
    /// The ends (exclusive) of the sentences that are known to be complete in <paramref name="text"/> after
    /// <paramref name="from"/>: after a line break, after <c>。！？；</c>, or after <c>. ! ? …</c> (and closing quotes or
    /// brackets) followed by white space. "2.5 mg" and "e.g.500" do not end a sentence; text that has not yet been
    /// followed by white space is not known to be complete, so a stream waits for more.
    /// </summary>
    public static IEnumerable<int> Ends(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || WideTerminators.Contains(c, StringComparison.Ordinal))
            {
                yield return i + 1;
            }
            else if (Terminators.Contains(c, StringComparison.Ordinal))
            {
                var j = i + 1;
                while (j < text.Length && Closers.Contains(text[j], StringComparison.Ordinal))
                {
                    j++;
                }

                if (j < text.Length && char.IsWhiteSpace(text[j]))
                {
                    yield return j;
                    i = j - 1;
                }
            }
        }
    }
}
