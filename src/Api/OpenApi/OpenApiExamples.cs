namespace FlashFundX.Api.OpenApi;

/// <summary>
/// Request-body examples by CLR type, shown in <c>/openapi/v1.json</c> and on <c>/docs</c>. Registered once in
/// <see cref="OpenApiExtensions.AddFulfillmentOpenApi"/>; an endpoint can override with
/// <see cref="OpenApiExtensions.WithRequestExample{TBuilder}"/>.
/// </summary>
public sealed class OpenApiExamples
{
    private readonly Dictionary<Type, object> byType = [];

    public OpenApiExamples Add<T>(T example)
        where T : notnull
    {
        byType[typeof(T)] = example;
        return this;
    }

    public bool TryGet(Type type, out object example) => byType.TryGetValue(type, out example!);
}
