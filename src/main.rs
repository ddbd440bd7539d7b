fn main() {
    println!("regcred");
}
