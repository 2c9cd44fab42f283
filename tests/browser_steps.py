"""Steps every browser walk takes: signing in through the real form and out again."""

from factories import PASSWORD


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
