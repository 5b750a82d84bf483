namespace Parley.Retrieval.Tests.Ingestion;

/// <summary>A fact over the documentation files found on this machine; skipped, with the reason, when there are none.</summary>
public sealed class MachineDocumentsFactAttribute : FactAttribute
{
    public MachineDocumentsFactAttribute()
    {
        if (MachineDocuments.Roots.Count == 0)
        {
            Skip = "none of /usr/share/doc, /usr/lib/node_modules or ~/.nuget/packages exists on this machine";
        }
    }
}
