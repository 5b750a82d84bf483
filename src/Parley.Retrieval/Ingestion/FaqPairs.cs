using System.Text.Json;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Ingestion;

/// <summary>Reads JSONL FAQ pairs (<c>{"question": str, "answer": str}</c> per line): one passage per pair, the question as its heading.</summary>
public static class FaqPairs
{
    /// <summary>Splits <paramref name="jsonl"/> into one passage per pair; offsets are those of the line.</summary>
    /// <param name="source">The file's path relative to the knowledge folder.</param>
    /// <param name="jsonl">The file's text.</param>
    /// <exception cref="InvalidDataException">A line is not a JSON object with non-empty "question" and "answer" strings.</exception>
    public static IReadOnlyList<KnowledgePassage> Chunk(string source, string jsonl)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(jsonl);
        var title = Path.GetFileNameWithoutExtension(source);
        var passages = new List<KnowledgePassage>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var start = 0;
        for (var lineNumber = 1; start < jsonl.Length; lineNumber++)
        {
            var end = jsonl.IndexOf('\n', start);
            end = end < 0 ? jsonl.Length : end;
            var line = jsonl[start..end].TrimEnd('\r');
            if (!string.IsNullOrWhiteSpace(line))
            {
                var (question, answer) = Parse(line, lineNumber);
                var slug = MarkdownChunker.Slug(question);
                var id = $"{source}#{slug}";
                for (var n = 2; !ids.Add(id); n++)
                {
                    id = $"{source}#{slug}-{n}";
                }

                passages.Add(new KnowledgePassage(id, source, title, question, answer, start, line.Length));
            }

            start = end + 1;
        }

        return passages;
    }

    private static (string Question, string Answer) Parse(string line, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("question", out var q) && q.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(q.GetString())
                && root.TryGetProperty("answer", out var a) && a.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(a.GetString()))
            {
                return (q.GetString()!.Trim(), a.GetString()!.Trim());
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"line {lineNumber} is not valid JSON ({e.Message})", e);
        }

        throw new InvalidDataException($"line {lineNumber} needs non-empty \"question\" and \"answer\" strings");
    }
}
