namespace Parley.Server.Tests;

/// <summary>The test classes that share one <see cref="ServerFixture"/> (the bot and encoder load once).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
