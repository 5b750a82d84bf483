namespace Parley.OpenAI.Tests;

public sealed class OpenAIEndpointOptionsTests
{
    private static Func<string, string?> Env(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void FromEnvironment_NothingSet_UsesOpenAIWithTheDefaultModelAndNoKey()
    {
        var options = OpenAIEndpointOptions.FromEnvironment(Env());

        Assert.Null(options.BaseUrl);
        Assert.Null(options.ApiKey);
        Assert.Equal("gpt-4o-mini", options.Model);
        Assert.Equal(TimeSpan.FromSeconds(100), options.AttemptTimeout);
    }

    [Fact]
    public void FromEnvironment_AllSet_ReadsThem()
    {
        var options = OpenAIEndpointOptions.FromEnvironment(Env(
            ("OPENAI_API_KEY", "sk-abc"), ("OPENAI_BASE_URL", "http://localhost:11434/v1"), ("PARLEY_MODEL", "llama3.2")));

        Assert.Equal("sk-abc", options.ApiKey);
        Assert.Equal(new Uri("http://localhost:11434/v1"), options.BaseUrl);
        Assert.Equal("llama3.2", options.Model);
    }

    [Fact]
    public void FromEnvironment_EmptyValues_CountAsUnset()
    {
        var options = OpenAIEndpointOptions.FromEnvironment(Env(("OPENAI_API_KEY", ""), ("OPENAI_BASE_URL", "  "), ("PARLEY_MODEL", "")));

        Assert.Null(options.ApiKey);
        Assert.Null(options.BaseUrl);
        Assert.Equal("gpt-4o-mini", options.Model);
    }

    [Fact]
    public void FromEnvironment_BaseUrlWithoutV1_IsUsedAsGiven()
    {
        var options = OpenAIEndpointOptions.FromEnvironment(Env(("OPENAI_BASE_URL", "http://localhost:8080")));

        Assert.Equal(new Uri("http://localhost:8080"), options.BaseUrl);
    }

    [Fact]
    public void FromEnvironment_RelativeBaseUrl_ThrowsNamingTheVariable()
    {
        var error = Assert.Throws<ArgumentException>(() => OpenAIEndpointOptions.FromEnvironment(Env(("OPENAI_BASE_URL", "localhost/v1"))));

        Assert.Contains("OPENAI_BASE_URL 'localhost/v1' is not an absolute URL", error.Message);
    }

    public static TheoryData<OpenAIEndpointOptions, string> InvalidOptions => new()
    {
        { new OpenAIEndpointOptions { Model = "" }, "model name is missing" },
        { new OpenAIEndpointOptions { Model = "m", BaseUrl = new Uri("ftp://host/v1") }, "must be an absolute http or https URL" },
        { new OpenAIEndpointOptions { Model = "m", ApiKey = " " }, "API key is blank" },
        { new OpenAIEndpointOptions { Model = "m", AttemptTimeout = TimeSpan.Zero }, "AttemptTimeout must be greater than zero" },
        { new OpenAIEndpointOptions { Model = "m", OrganizationId = "" }, "organization id is blank" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_Invalid_ThrowsNamingTheProblem(OpenAIEndpointOptions options, string expected)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Validate_InfiniteAttemptTimeout_IsAccepted()
    {
        new OpenAIEndpointOptions { Model = "m", AttemptTimeout = Timeout.InfiniteTimeSpan }.Validate();
    }
}
