namespace Parley.Retrieval.Ingestion;

/// <summary>What happened to a file in <see cref="DocumentCheck.Run"/>.</summary>
public enum DocumentCheckOutcome
{
    /// <summary>Read and chunked; every passage's offsets slice back to its text.</summary>
    Indexed,

    /// <summary>Refused with a reason (not UTF-8, a binary file, an unreadable PDF): it would be skipped with a warning.</summary>
    Refused,

    /// <summary>Reading or chunking threw an unexpected exception: a bug.</summary>
    Crashed,

    /// <summary>A passage's offsets do not slice back to its text: a bug.</summary>
    BadOffsets,
}
