using SkiaSharp;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/badge.png", () =>
{
    using var surface = SKSurface.Create(new SKImageInfo(120, 40));
    surface.Canvas.Clear(SKColors.MediumPurple);
    using var data = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
    return Results.File(data.ToArray(), "image/png");
});
app.Run();
