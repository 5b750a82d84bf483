using Parley.Retrieval.Chunking;

namespace Parley.Retrieval.Ingestion;

/// <summary>
/// Checks that a file written by someone else goes through ingestion as it should: it is read and chunked without an
/// exception (a file that is not text, or not valid for its format, may be refused with a reason), and every passage's
/// offsets slice the converted text back to exactly the passage's text.
/// </summary>
/// <remarks>Used by the robustness benchmark and tests over the documentation files found on a machine.</remarks>
public static class DocumentCheck
{
    /// <summary>Reads, converts and chunks one file and checks its passages.</summary>
    /// <param name="source">The file's path (its extension says how it is read).</param>
    /// <param name="content">The file's bytes.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>.</param>
    public static DocumentCheckResult Run(string source, byte[] content, ChunkingOptions? chunking = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(content);
        string text;
        IReadOnlyList<Knowledge.KnowledgePassage> passages;
        try
        {
            text = DocumentReader.ToText(source, content);
            passages = DocumentReader.Read(source, content, chunking);
        }
        catch (InvalidDataException e)
        {
            return new DocumentCheckResult(DocumentCheckOutcome.Refused, 0, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return new DocumentCheckResult(DocumentCheckOutcome.Crashed, 0, e.ToString());
        }

        if (Path.GetExtension(source).Equals(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return new DocumentCheckResult(DocumentCheckOutcome.Indexed, passages.Count, null);
        }

        foreach (var passage in passages)
        {
            if (passage.Start < 0 || passage.Length <= 0 || passage.Start + passage.Length > text.Length
                || !text.AsSpan(passage.Start, passage.Length).SequenceEqual(passage.Text))
            {
                return new DocumentCheckResult(DocumentCheckOutcome.BadOffsets, passages.Count, $"{passage.Id}: [{passage.Start}, +{passage.Length}) does not slice back to the passage's text");
            }
        }

        return new DocumentCheckResult(DocumentCheckOutcome.Indexed, passages.Count, null);
    }
}
