using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Reservations;

[OptionsValidator]
internal sealed partial class ReservationOptionsValidator : IValidateOptions<ReservationOptions>;
