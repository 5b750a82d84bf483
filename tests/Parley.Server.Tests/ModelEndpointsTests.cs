using System.ClientModel;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ModelEndpointsTests(ServerFixture server)
{
    [Fact]
    public async Task ListModels_Always_ListsBotsAndEncoder()
    {
        var models = await server.OpenAI.GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal(["shop", "all-MiniLM-L6-v2"], models.Value.Select(m => m.Id));
        Assert.All(models.Value, m => Assert.Equal("parley", m.OwnedBy));
    }

    [Fact]
    public async Task GetModel_KnownId_ReturnsIt()
    {
        var model = await server.OpenAI.GetOpenAIModelClient().GetModelAsync("shop");

        Assert.Equal("shop", model.Value.Id);
    }

    [Fact]
    public async Task GetModel_UnknownId_Returns404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => server.OpenAI.GetOpenAIModelClient().GetModelAsync("nope"));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.Message, StringComparison.Ordinal);
    }
}
