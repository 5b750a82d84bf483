using Xunit.Abstractions;
using Xunit.Sdk;

namespace Parley.Storage.Conformance;

/// <summary>A test case skipped when its class's <see cref="SkipUnlessAttribute"/> gives a reason.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    /// <summary>For the de-serializer.</summary>
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    /// <summary>Creates the test case.</summary>
    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    /// <inheritdoc />
    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        base.GetSkipReason(factAttribute)
        ?? TestMethod.TestClass.Class.GetCustomAttributes(typeof(SkipUnlessAttribute))
            .OfType<IReflectionAttributeInfo>()
            .Select(a => ((SkipUnlessAttribute)a.Attribute).SkipReason)
            .FirstOrDefault(reason => reason is not null);
}
