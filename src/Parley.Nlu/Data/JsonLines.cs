using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Parley.Nlu.Data;

/// <summary>Walks the lines of a JSON Lines text the one way every reader and validator numbers them.</summary>
internal static class JsonLines
{
    /// <summary>
    /// The lines of <paramref name="content"/> that are not blank, with their 1-based line numbers (lines end at any
    /// of the newline characters <see cref="MemoryExtensions.EnumerateLines(ReadOnlySpan{char})"/> knows).
    /// </summary>
    public static IEnumerable<(int Number, string Text)> NonBlank(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lines = new List<(int Number, int Start, int Length)>();
        var number = 0;
        ref var first = ref MemoryMarshal.GetReference(content.AsSpan());
        foreach (var line in content.AsSpan().EnumerateLines())
        {
            number++;
            if (!line.IsWhiteSpace())
            {
                // Each line is a slice of content: its distance from the first character is where it starts.
                var start = (int)(Unsafe.ByteOffset(ref first, ref MemoryMarshal.GetReference(line)) / sizeof(char));
                lines.Add((number, start, line.Length));
            }
        }

        return lines.Select(l => (l.Number, content.Substring(l.Start, l.Length)));
    }
}
