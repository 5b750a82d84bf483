using Parley.Tools.Orders;

namespace Parley.Tools.Tests.Orders;

public sealed class OrderStatusToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-orders-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_folder, "orders.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task GetStatus_ShippedOrder_GivesCarrierTrackingAndDay()
    {
        var tool = await OrderStatusTool.LoadAsync(Write("""
            [{"id": "10023", "status": "shipped", "items": ["Cast-iron pan"], "carrier": "DHL", "tracking": "JD0146", "delivery_date": "2026-12-04"},
             {"id": "10024", "status": "delivered", "delivery_date": "2026-11-30"},
             {"id": "10025", "status": "processing"}]
            """));

        Assert.Equal("Order 10023 (Cast-iron pan) has shipped with DHL, tracking number JD0146; expected delivery Friday 4 December.", tool.GetStatus("#10023"));
        Assert.Equal("Order 10024 was delivered on Monday 30 November.", tool.GetStatus("10024"));
        Assert.Equal("Order 10025 is being prepared and has not shipped yet.", tool.GetStatus(" 10025 "));
        Assert.Equal("I can't find order 99999. Please check the number in your order confirmation email.", tool.GetStatus("99999"));
    }

    [Fact]
    public async Task LoadAsync_BadStatus_NamesTheFileAndOrder()
    {
        var path = Write("""[{"id": "1", "status": "lost"}]""");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => OrderStatusTool.LoadAsync(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("order '1'", error.Message);
    }

    [Fact]
    public async Task LoadAsync_NotJson_NamesTheFile()
    {
        var path = Write("[{\"id\": ");
        Assert.StartsWith(path, (await Assert.ThrowsAsync<InvalidDataException>(() => OrderStatusTool.LoadAsync(path))).Message);
    }
}
