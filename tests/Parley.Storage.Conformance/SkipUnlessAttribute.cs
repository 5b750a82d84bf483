namespace Parley.Storage.Conformance;

/// <summary>
/// Put on a test class whose <see cref="StoreFactAttribute"/> tests need a service: when <see cref="SkipReason"/> is not
/// null they are reported as skipped with that reason.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public abstract class SkipUnlessAttribute : Attribute
{
    /// <summary>Why the tests cannot run here, or null when they can.</summary>
    public abstract string? SkipReason { get; }
}
