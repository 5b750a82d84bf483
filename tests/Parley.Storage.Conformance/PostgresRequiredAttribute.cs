
namespace Parley.Storage.Conformance;

/// <summary>The class's tests need PostgreSQL: skipped with the reason of <see cref="PostgresTestServer.SkipReason"/> when it is absent.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PostgresRequiredAttribute : SkipUnlessAttribute
{
    public override string? SkipReason => PostgresTestServer.SkipReason;
}
