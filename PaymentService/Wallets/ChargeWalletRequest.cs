namespace ConcertBooking.PaymentService.Wallets;

public sealed record ChargeWalletRequest(decimal? Amount);
