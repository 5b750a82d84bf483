using Parley.Retrieval.Ingestion;

namespace Parley.Retrieval.Tests.Ingestion;

/// <summary>
/// Ingestion over documentation written by others (a bounded sample; <c>bench/Parley.Benchmarks ingest</c> reads them all).
/// </summary>
public sealed class MachineDocumentsTests
{
    [MachineDocumentsFact]
    public void Run_SampleOfTheMachinesDocumentation_NoCrashAndOffsetsSliceBackToTheText()
    {
        var files = MachineDocuments.Sample(count: 150, maxBytes: 64 * 1024);
        var results = files.Select(f => (File: f, Result: DocumentCheck.Run(f, File.ReadAllBytes(f)))).ToArray();

        var bugs = results
            .Where(r => r.Result.Outcome is DocumentCheckOutcome.Crashed or DocumentCheckOutcome.BadOffsets)
            .Select(r => $"{r.File}: {r.Result.Outcome}: {r.Result.Detail}")
            .ToArray();
        Assert.True(bugs.Length == 0, string.Join("\n", bugs));
        Assert.True(files.Count >= 50, $"only {files.Count} documentation files found under {string.Join(", ", MachineDocuments.Roots)}");
        Assert.True(results.Count(r => r.Result.Outcome == DocumentCheckOutcome.Indexed) >= files.Count * 9 / 10);
    }

    [Fact]
    public void Run_SixLineReproductionAndBinaryFile_IndexedAndRefused()
    {
        var library = DocumentCheck.Run("library.md", "```\n```\n#### Example conversation\n```\n```\n[1]: https://example.com/library"u8.ToArray());
        var binary = DocumentCheck.Run("image.md", [0x89, 0x50, 0x00, 0xFF]);

        Assert.Equal(DocumentCheckOutcome.Indexed, library.Outcome);
        Assert.Equal(DocumentCheckOutcome.Refused, binary.Outcome);
        Assert.False(string.IsNullOrEmpty(binary.Detail));
    }
}
