using Xunit.Sdk;

namespace Parley.Storage.Conformance;

/// <summary>
/// A fact of the store conformance suite: it runs, or is skipped with the reason of the test class's
/// <see cref="SkipUnlessAttribute"/> (the service it needs is absent here).
/// </summary>
[XunitTestCaseDiscoverer("Parley.Storage.Conformance.StoreFactDiscoverer", "Parley.Storage.Conformance")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;
