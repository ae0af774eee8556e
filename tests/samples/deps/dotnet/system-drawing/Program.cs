using System.Drawing;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/thumb", () =>
{
    using var bitmap = new Bitmap(64, 64);
    return bitmap.Width;
});
app.Run();
