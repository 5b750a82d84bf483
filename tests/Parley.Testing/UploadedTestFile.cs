namespace Parley.Testing;

/// <summary>A file uploaded to <see cref="FineTuningTestApi"/> with <c>POST /v1/files</c>.</summary>
/// <param name="Id">The id the server gave it.</param>
/// <param name="Filename">The multipart file name.</param>
/// <param name="Purpose">The multipart <c>purpose</c> field.</param>
/// <param name="Content">The file's text.</param>
public sealed record UploadedTestFile(string Id, string Filename, string Purpose, string Content);
