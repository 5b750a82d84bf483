using Parley.Storage.Conformance;

namespace Parley.Storage.Postgres.Tests;

/// <summary>The class's tests need PostgreSQL: skipped with the reason of <see cref="PostgresTestServer.SkipReason"/> when it is absent.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class PostgresRequiredAttribute : SkipUnlessAttribute
{
    public override string? SkipReason => PostgresTestServer.SkipReason;
}
