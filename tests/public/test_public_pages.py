"""The public home page and the list of openings."""

from factories import make_order, make_org

from matchhub.models import OrderKind, OrderStatus, VerificationState


def test_home_shows_province_figures_and_latest_openings(client, ctx):
    org = make_org(name="Công ty Dệt Nam Định")
    make_order(org, title="Kỹ sư dữ liệu", headcount=4)
    make_order(org, title="Bản nháp", status=OrderStatus.DRAFT)
    html = client.get("/").get_data(as_text=True)
    assert "Kỹ sư dữ liệu" in html and "Bản nháp" not in html
    assert "4 vị trí" in html
    assert "Python" in html  # in the skills-in-demand table


def test_openings_filter_by_kind_and_locality(client, ctx):
    org = make_org()
    make_order(org, title="Việc làm ở Nam Định", kind=OrderKind.JOB)
    make_order(org, title="Thực tập ở Hà Nội", kind=OrderKind.INTERNSHIP, locality="ha-noi")
    make_order(make_org(state=VerificationState.REJECTED), title="Đơn của tổ chức bị từ chối")
    everything = client.get("/orders").get_data(as_text=True)
    assert "Việc làm ở Nam Định" in everything and "Thực tập ở Hà Nội" in everything
    assert "Đơn của tổ chức bị từ chối" not in everything
    internships = client.get("/orders?kind=internship").get_data(as_text=True)
    assert "Thực tập ở Hà Nội" in internships and "Việc làm ở Nam Định" not in internships
    hanoi = client.get("/orders?locality=ha-noi").get_data(as_text=True)
    assert "Thực tập ở Hà Nội" in hanoi and "Việc làm ở Nam Định" not in hanoi
    assert client.get("/orders?kind=bogus&page=99").status_code == 200


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
