namespace FlyIo.Launch.Standalone;

/// <summary>The framework names <see cref="StandaloneAppFacts.Framework"/> holds, and the languages.</summary>
internal static class StandaloneFrameworks
{
    public const string Python = "Python";
    public const string Node = "Node";

    public const string FastApi = "FastAPI";
    public const string Flask = "Flask";
    public const string Django = "Django";
    public const string Express = "Express";
    public const string Fastify = "Fastify";
}
